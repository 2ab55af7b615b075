/* A FUSE filesystem that can play dead, for the holder-scan tests: one directory with one 1 MiB file "f",
 * spoken over /dev/fuse without libfuse. SIGUSR1 makes it stop answering (a hung server): every request that
 * needs it blocks in the kernel until the process dies, which aborts the connection.
 * Usage: deadfuse MOUNTPOINT   (prints "ready" once mounted) */
#define _GNU_SOURCE
#include <linux/fuse.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t dead;
static int fuse;
static char out[1 << 16];

static void on_usr1(int s) { (void)s; dead = 1; }

static void reply(uint64_t unique, int error, const void *data, size_t size)
{
    struct fuse_out_header *h = (void *)out;
    h->len = sizeof *h + size;
    h->error = error;
    h->unique = unique;
    if (size) memcpy(out + sizeof *h, data, size);
    if (write(fuse, out, h->len) < 0) perror("deadfuse: write");
}

static void attributes(struct fuse_attr *a, uint64_t ino)
{
    memset(a, 0, sizeof *a);
    a->ino = ino;
    a->blksize = 4096;
    if (ino == 1) { a->mode = S_IFDIR | 0755; a->nlink = 2; }
    else { a->mode = S_IFREG | 0644; a->nlink = 1; a->size = 1 << 20; a->blocks = 2048; }
}

int main(int argc, char **argv)
{
    static char in[(1 << 20) + 8192];
    static char zeros[1 << 16];
    char options[160];
    struct sigaction sa = { 0 };
    if (argc != 2) { fprintf(stderr, "usage: deadfuse MOUNTPOINT\n"); return 2; }
    sa.sa_handler = on_usr1;            /* no SA_RESTART: read() returns EINTR and the loop sees "dead" */
    sigaction(SIGUSR1, &sa, 0);
    fuse = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fuse < 0) { perror("deadfuse: /dev/fuse"); return 1; }
    snprintf(options, sizeof options, "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fuse);
    if (mount("deadfuse", argv[1], "fuse", 0, options)) { perror("deadfuse: mount"); return 1; }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        if (dead) { pause(); continue; }
        ssize_t n = read(fuse, in, sizeof in);
        if (n < 0) { if (errno == EINTR) continue; if (errno == ENODEV) return 0; perror("deadfuse: read"); return 1; }
        if (dead) continue;             /* swallowed: never answered */
        struct fuse_in_header *h = (void *)in;
        void *arg = in + sizeof *h;
        switch (h->opcode) {
        case FUSE_INIT: {
            struct fuse_init_in *i = arg;
            struct fuse_init_out o = { 0 };
            o.major = 7; o.minor = i->minor < 38 ? i->minor : 38;
            o.max_readahead = i->max_readahead; o.max_write = 65536; o.max_pages = 16;
            reply(h->unique, 0, &o, sizeof o);
            break;
        }
        case FUSE_LOOKUP: {
            if (strcmp(arg, "f")) { reply(h->unique, -ENOENT, 0, 0); break; }
            struct fuse_entry_out e = { 0 };
            e.nodeid = 2; e.generation = 1;       /* entry_valid = attr_valid = 0: every stat asks the server */
            attributes(&e.attr, 2);
            reply(h->unique, 0, &e, sizeof e);
            break;
        }
        case FUSE_GETATTR: {
            struct fuse_attr_out o = { 0 };
            attributes(&o.attr, h->nodeid);
            reply(h->unique, 0, &o, sizeof o);
            break;
        }
        case FUSE_OPEN: case FUSE_OPENDIR: {
            struct fuse_open_out o = { 0 };
            o.fh = h->nodeid;
            reply(h->unique, 0, &o, sizeof o);
            break;
        }
        case FUSE_READ: {
            struct fuse_read_in *r = arg;
            size_t size = r->size > sizeof zeros ? sizeof zeros : r->size;
            reply(h->unique, 0, zeros, r->offset >= (1 << 20) ? 0 : size);
            break;
        }
        case FUSE_READDIR: case FUSE_RELEASE: case FUSE_RELEASEDIR: case FUSE_FLUSH:
            reply(h->unique, 0, 0, 0);
            break;
        case FUSE_FORGET: case FUSE_BATCH_FORGET:
            break;
        case FUSE_DESTROY:
            reply(h->unique, 0, 0, 0);
            return 0;
        default:
            reply(h->unique, -ENOSYS, 0, 0);
        }
    }
}
