"""librdkafka (python3-confluent-kafka) load for bench/broker.ts.

usage: librdkafka_bench.py produce BOOTSTRAP TOPIC COUNT SIZE RATE   (RATE 0 = as fast as possible)
       librdkafka_bench.py consume BOOTSTRAP TOPIC COUNT
Prints one JSON line: produce -> {seconds, latencies_ms: [p50, p99], count}; consume -> {seconds, bytes, count}.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer


def produce(bootstrap, topic, count, size, rate):
    p = Producer({
        "bootstrap.servers": bootstrap,
        "acks": "all",
        "linger.ms": 2,
        "batch.size": 1000000,
        "queue.buffering.max.messages": 200000,
        "queue.buffering.max.kbytes": 1048576,
    })
    payload = b"x" * size
    latencies = []
    errors = []
    now = time.perf_counter

    # confluent-kafka 1.7 has no per-message opaque, so the latency is measured from the send
    # time recorded by sequence number (the callback fires in send order per partition).
    start = now()
    times = [0.0] * count
    done = [0]

    def cb(err, msg, i=None):
        if err is not None:
            errors.append(str(err))
        idx = done[0]
        latencies.append(now() - times[idx])
        done[0] += 1

    interval = 1.0 / rate if rate > 0 else 0.0
    next_at = start
    for i in range(count):
        if interval:
            t = now()
            if t < next_at:
                time.sleep(next_at - t)
            next_at += interval
        times[i] = now()
        while True:
            try:
                p.produce(topic, payload, on_delivery=cb)
                break
            except BufferError:
                p.poll(0.001)
        if i % 64 == 0:
            p.poll(0)
    p.flush(300)
    seconds = now() - start
    if errors:
        print(json.dumps({"errors": errors[:5]}), file=sys.stderr)
        sys.exit(1)
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(json.dumps({"seconds": seconds, "count": count, "latencies_ms": [pct(0.5), pct(0.99)]}))


def consume(bootstrap, topic, count):
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "bench-" + str(time.time()),
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "fetch.max.bytes": 52428800,
        "max.partition.fetch.bytes": 10485760,
    })
    c.subscribe([topic])
    got = 0
    total = 0
    start = None
    while got < count:
        msgs = c.consume(num_messages=10000, timeout=1.0)
        if start is None and msgs:
            start = time.perf_counter()
        for m in msgs:
            if m.error():
                continue
            got += 1
            total += len(m.value())
    seconds = time.perf_counter() - start
    c.close()
    print(json.dumps({"seconds": seconds, "count": got, "bytes": total}))


if __name__ == "__main__":
    if sys.argv[1] == "produce":
        produce(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    else:
        consume(sys.argv[2], sys.argv[3], int(sys.argv[4]))
