"""A long-running consumer-group member, for tests that watch rebalances as they happen.

usage: group_consumer.py LIB BOOTSTRAP TOPIC GROUP CONFIG_JSON DEADLINE_S
LIB is "confluent" (python3-confluent-kafka, librdkafka) or "kafka-python". The consumer joins
GROUP, subscribes to TOPIC and prints one JSON line per event, flushed at once:

  {"event": "assigned", "partitions": [0, 2]}    the member's whole assignment after a rebalance
  {"event": "revoked", "partitions": [0, 2]}
  {"event": "record", "partition": 0, "offset": 5, "key": "k", "value": "v"}
  {"event": "closed"}                            after the final commit and leaving the group

Offsets are committed synchronously after every poll that returned records, so what the test
saw printed is committed. It stops when stdin closes or after DEADLINE_S seconds, whichever
comes first, commits, and leaves the group (close), so the others rebalance at once.
"""
import json
import sys
import threading
import time

stop = threading.Event()


def emit(obj):
    print(json.dumps(obj), flush=True)


def watch_stdin():
    # Returns at EOF: the test closed our stdin (or died).
    for _ in sys.stdin:
        pass
    stop.set()


def decode(b):
    return None if b is None else b.decode()


def run_confluent(bootstrap, topic, group, config, deadline):
    from confluent_kafka import Consumer, KafkaException

    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
        # Notice new partitions quickly (the leader then rejoins to assign them).
        "topic.metadata.refresh.interval.ms": 1000,
    }
    conf.update(config)
    c = Consumer(conf)

    def on_assign(_consumer, partitions):
        emit({"event": "assigned", "partitions": sorted(p.partition for p in partitions)})

    def on_revoke(_consumer, partitions):
        emit({"event": "revoked", "partitions": sorted(p.partition for p in partitions)})

    c.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    try:
        while not stop.is_set() and time.time() < deadline:
            msgs = c.consume(num_messages=100, timeout=0.2)
            got = False
            for msg in msgs:
                if msg.error():
                    raise KafkaException(msg.error())
                emit({"event": "record", "partition": msg.partition(), "offset": msg.offset(),
                      "key": decode(msg.key()), "value": decode(msg.value())})
                got = True
            if got:
                c.commit(asynchronous=False)
    finally:
        c.close()
    emit({"event": "closed"})


def run_kafka_python(bootstrap, topic, group, config, deadline):
    from kafka import KafkaConsumer
    from kafka.consumer.subscription_state import ConsumerRebalanceListener

    class Listener(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            emit({"event": "revoked", "partitions": sorted(tp.partition for tp in revoked)})

        def on_partitions_assigned(self, assigned):
            emit({"event": "assigned", "partitions": sorted(tp.partition for tp in assigned)})

    conf = {
        "bootstrap_servers": bootstrap,
        "group_id": group,
        "auto_offset_reset": "earliest",
        "enable_auto_commit": False,
        "session_timeout_ms": 6000,
        "heartbeat_interval_ms": 500,
        "metadata_max_age_ms": 2000,
    }
    conf.update(config)
    c = KafkaConsumer(**conf)
    c.subscribe([topic], listener=Listener())
    try:
        while not stop.is_set() and time.time() < deadline:
            batches = c.poll(timeout_ms=200)
            got = False
            for _tp, msgs in batches.items():
                for msg in msgs:
                    emit({"event": "record", "partition": msg.partition, "offset": msg.offset,
                          "key": decode(msg.key), "value": decode(msg.value)})
                    got = True
            if got:
                c.commit()
    finally:
        c.close()
    emit({"event": "closed"})


if __name__ == "__main__":
    lib, bootstrap, topic, group = sys.argv[1:5]
    config = json.loads(sys.argv[5])
    deadline = time.time() + float(sys.argv[6])
    threading.Thread(target=watch_stdin, daemon=True).start()
    if lib == "confluent":
        run_confluent(bootstrap, topic, group, config, deadline)
    elif lib == "kafka-python":
        run_kafka_python(bootstrap, topic, group, config, deadline)
    else:
        sys.exit("unknown LIB " + lib)
