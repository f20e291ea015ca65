"""Produce and consume with kafka-python 2.0.2 (python3-kafka), driven by JSON.

usage: kafka_python_client.py produce BOOTSTRAP TOPIC CONFIG_JSON < records.jsonl
       kafka_python_client.py consume BOOTSTRAP TOPIC CONFIG_JSON COUNT TIMEOUT_S
"""
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer


def produce(bootstrap, topic, config):
    p = KafkaProducer(bootstrap_servers=bootstrap, **config)
    futures = []
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        futures.append(p.send(
            topic,
            key=None if r.get("key") is None else r["key"].encode(),
            value=None if r.get("value") is None else r["value"].encode(),
            headers=[(k, v.encode()) for k, v in r.get("headers") or []],
            partition=r.get("partition"),
            timestamp_ms=r.get("timestamp"),
        ))
    p.flush(60)
    for f in futures:
        f.get(timeout=60)
    p.close()
    print(json.dumps({"acked": len(futures)}))


def consume(bootstrap, topic, config, count, timeout_s):
    conf = {"group_id": "kp-" + topic, "auto_offset_reset": "earliest", "enable_auto_commit": True}
    conf.update(config)
    c = KafkaConsumer(topic, bootstrap_servers=bootstrap, **conf)
    got = 0
    deadline = time.time() + timeout_s
    while got < count and time.time() < deadline:
        batches = c.poll(timeout_ms=500)
        for _tp, msgs in batches.items():
            for msg in msgs:
                print(json.dumps({
                    "topic": msg.topic,
                    "partition": msg.partition,
                    "offset": msg.offset,
                    "key": None if msg.key is None else msg.key.decode(),
                    "value": None if msg.value is None else msg.value.decode(),
                    "headers": [[k, v.decode()] for k, v in msg.headers],
                    "timestamp": msg.timestamp,
                }), flush=True)
                got += 1
    c.commit()
    c.close()
    if got < count:
        print(f"consumed {got} of {count} before the timeout", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    mode, bootstrap, topic, config = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    if mode == "produce":
        produce(bootstrap, topic, config)
    else:
        consume(bootstrap, topic, config, int(sys.argv[5]), float(sys.argv[6]))
