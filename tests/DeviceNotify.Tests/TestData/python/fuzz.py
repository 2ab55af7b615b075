"""Malformed input for the DeviceNotify broker, from an unprivileged client (run it as nobody: whatever a garbage
request happens to parse to, the broker refuses to act on it for this caller).

    fuzz.py SOCKET COUNT SEED

Sends COUNT inputs: garbage instead of HTTP/2, HTTP/1.1, a valid preface followed by garbage or random frames, half a
preface, HEADERS with garbage HPACK; gRPC calls to every method (and an unknown one) whose protobuf is random bytes or a
mutated valid message; oversized messages. Prints one JSON object: how many inputs of each kind, and the status codes.
"""
import json
import random
import socket
import struct
import sys
import time

import grpc

socket_path, total, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SERVICE = "/devnotify.v1.DeviceBroker/"
UNARY = ["Hello", "Dismount", "Eject", "FindHolders", "NoSuchMethod"]
# Valid messages to mutate: a SubscribeRequest for Net with include_existing, a RemovalRequest for 7:0, a Session register.
VALID = [bytes.fromhex("0a090a070a050a034e65741001"), bytes.fromhex("0a0408071000120178"), bytes.fromhex("0a0a0801120608071000 2001".replace(" ", ""))]
stats = {"inputs": 0}


def tally(key):
    stats[key] = stats.get(key, 0) + 1
    stats["inputs"] += 1


def frame(kind, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def raw():
    kind = rng.randrange(6)
    if kind == 0:
        data = rng.randbytes(rng.randint(1, 4096))
    elif kind == 1:
        data = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
    elif kind == 2:
        data = PREFACE + rng.randbytes(rng.randint(1, 2048))
    elif kind == 3:
        data = PREFACE + frame(4, 0, 0, b"") + frame(rng.randrange(11), rng.randrange(256), rng.randrange(10), rng.randbytes(rng.randint(0, 300)))
    elif kind == 4:
        data = PREFACE[:rng.randint(1, len(PREFACE) - 1)]
    else:
        data = PREFACE + frame(4, 0, 0, b"") + frame(1, 4, 1, rng.randbytes(rng.randint(1, 200)))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.5)
    try:
        s.connect(socket_path)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)   # and no more: the broker must not wait for the rest
        s.recv(65536)
    except OSError:
        pass
    finally:
        s.close()
    tally("raw%d" % kind)


def payload():
    pick = rng.random()
    if pick < 0.45:
        return rng.randbytes(rng.randint(0, 512))
    if pick < 0.9:
        b = bytearray(rng.choice(VALID))
        for _ in range(rng.randint(1, 4)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    return rng.randbytes(rng.randint(70_000, 1_000_000))   # above the broker's 64 KiB limit


channel = grpc.insecure_channel("unix://" + socket_path, options=[("grpc.max_send_message_length", 8 << 20),
                                                                  ("grpc.max_receive_message_length", 8 << 20)])


def call():
    method = rng.choice(UNARY + ["Subscribe", "Session", "Lock"])
    data = payload()
    try:
        if method == "Subscribe":
            responses = channel.unary_stream(SERVICE + method)(data, timeout=1)
            for _ in responses:
                break
            responses.cancel()
        elif method in ("Session", "Lock"):
            responses = channel.stream_stream(SERVICE + method)(iter([data, payload()]), timeout=1)
            for _ in responses:
                break
            responses.cancel()
        else:
            channel.unary_unary(SERVICE + method)(data, timeout=2)
        tally("call OK")
    except grpc.RpcError as e:
        tally("call " + e.code().name)


started = time.monotonic()
while stats["inputs"] < total:
    if rng.random() < 0.3:
        raw()
    else:
        call()
stats["seconds"] = round(time.monotonic() - started, 1)
print(json.dumps(stats, sort_keys=True), flush=True)
