"""A DeviceNotify broker client in Python, with stubs generated from protos/devnotify/v1 (Debian's python3-grpcio and
protobuf-compiler-grpc). It proves the wire contract is usable outside .NET:

    client.py SOCKET FILE TAP

subscribes to network interfaces (include_existing) and prints "saw TAP" when TAP arrives; opens FILE, registers it in a
session, vetoes the first question ("python says no"), prints what the broker says, and exits after the round ends.
"""
import os
import queue
import sys
import threading

import grpc

from devnotify.v1 import broker_pb2 as b
from devnotify.v1 import broker_pb2_grpc as bg
from devnotify.v1 import device_pb2 as d
from devnotify.v1 import removal_pb2 as r

socket, path, tap = sys.argv[1:4]
channel = grpc.insecure_channel("unix://" + socket)


def say(line):
    print(line, flush=True)


def watch():
    request = b.SubscribeRequest(filter=b.Filter(interfaces=b.InterfaceFilter(classes=[b.InterfaceClassSpec(name="Net")])),
                                 include_existing=True)
    for response in bg.DeviceBrokerStub(channel).Subscribe(request):
        kind = response.WhichOneof("kind")
        if kind == "enumeration_complete":
            say("enumerated %d" % response.enumeration_complete.count)
        elif kind == "notification":
            n = response.notification
            if n.action == d.NOTIFICATION_ACTION_INTERFACE_ARRIVAL and n.interface.path == tap:
                say("saw %s %s" % (tap, d.Origin.Name(n.origin)))
                return


held = open(path, "wb")
st = os.fstat(held.fileno())
outgoing = queue.Queue()
outgoing.put(b.SessionRequest(register=b.RegisterHandle(
    registration=1, name="python client",
    handle=r.HandleIdentity(major=os.major(st.st_dev), minor=os.minor(st.st_dev), device_node=False, block=True))))


def requests():
    while True:
        message = outgoing.get()
        if message is None:
            return
        yield message


watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
for m in bg.DeviceBrokerStub(channel).Session(requests()):
    kind = m.WhichOneof("kind")
    if kind == "registered":
        say("registered %s" % (m.registered.refused or m.registered.device.devnode))
    elif kind == "question":
        q = m.question
        say("asked %s %s by pid %d" % (r.RemovalOperation.Name(q.message.operation), q.message.event_guid, q.requester.pid))
        outgoing.put(b.SessionRequest(answer=b.Answer(question=q.id, veto=b.Veto(reason="python says no"))))
    elif kind == "notice":
        say("notice %s" % m.notice.message.event_guid)
    elif kind == "round_ended":
        say("round ended succeeded=%s" % m.round_ended.succeeded)
        outgoing.put(None)
        break
watcher.join(30)
held.close()
