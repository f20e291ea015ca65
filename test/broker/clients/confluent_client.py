"""Produce and consume with librdkafka through python3-confluent-kafka, driven by JSON.

usage: confluent_client.py produce BOOTSTRAP TOPIC CONFIG_JSON < records.jsonl
       confluent_client.py consume BOOTSTRAP TOPIC CONFIG_JSON COUNT TIMEOUT_S
Records are {"key", "value", "headers": [[k, v]], "partition", "timestamp"}; consumed records
are printed as JSON lines with topic, partition, offset, key, value, headers, timestamp.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer


def produce(bootstrap, topic, config):
    conf = {"bootstrap.servers": bootstrap}
    conf.update(config)
    p = Producer(conf)
    errors = []
    acked = []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            acked.append({"partition": msg.partition(), "offset": msg.offset()})

    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        kwargs = {"value": None if r.get("value") is None else r["value"].encode()}
        if r.get("key") is not None:
            kwargs["key"] = r["key"].encode()
        if r.get("headers"):
            kwargs["headers"] = [(k, v.encode()) for k, v in r["headers"]]
        if r.get("partition") is not None:
            kwargs["partition"] = r["partition"]
        if r.get("timestamp") is not None:
            kwargs["timestamp"] = r["timestamp"]
        while True:
            try:
                p.produce(topic, on_delivery=on_delivery, **kwargs)
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
    remaining = p.flush(60)
    if remaining or errors:
        print(json.dumps({"errors": errors, "unflushed": remaining}), file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"acked": len(acked)}))


def consume(bootstrap, topic, config, count, timeout_s):
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": "py-" + topic,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": True,
    }
    conf.update(config)
    c = Consumer(conf)
    c.subscribe([topic])
    got = 0
    deadline = time.time() + timeout_s
    try:
        while got < count and time.time() < deadline:
            msg = c.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            ts_type, ts = msg.timestamp()
            print(json.dumps({
                "topic": msg.topic(),
                "partition": msg.partition(),
                "offset": msg.offset(),
                "key": None if msg.key() is None else msg.key().decode(),
                "value": None if msg.value() is None else msg.value().decode(),
                "headers": [[k, v.decode()] for k, v in (msg.headers() or [])],
                "timestamp": ts,
                "timestampType": ts_type,
            }), flush=True)
            got += 1
        c.commit(asynchronous=False) if got else None
    finally:
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
