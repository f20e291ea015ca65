"""Produces "seq-N" values with acks=all until killed, printing "N OFFSET" for each delivery.

usage: crash_producer.py BOOTSTRAP TOPIC COUNT
"""
import sys

from confluent_kafka import Producer

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
p = Producer({
    "bootstrap.servers": bootstrap,
    "acks": "all",
    "enable.idempotence": True,
    "linger.ms": 1,
    "message.timeout.ms": 60000,
})


def on_delivery(err, msg):
    if err is None:
        print(f"{msg.value().decode()[4:]} {msg.offset()}", flush=True)


for i in range(count):
    while True:
        try:
            p.produce(topic, f"seq-{i}".encode(), on_delivery=on_delivery)
            break
        except BufferError:
            p.poll(0.01)
    p.poll(0)
p.flush(60)
