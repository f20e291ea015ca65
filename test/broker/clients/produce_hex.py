"""Produces hex-encoded values with librdkafka and prints each delivery's outcome as JSON.

usage: produce_hex.py BOOTSTRAP TOPIC HEX [HEX ...]
"""
import json
import sys

from confluent_kafka import Producer

bootstrap, topic, values = sys.argv[1], sys.argv[2], sys.argv[3:]
p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "retries": 0, "linger.ms": 0})
results = []


def on_delivery(err, msg):
    results.append({"error": None if err is None else err.name(), "offset": msg.offset()})


for v in values:
    p.produce(topic, bytes.fromhex(v), on_delivery=on_delivery)
    p.flush(30)
print(json.dumps(results))
