"""Transactions through librdkafka's transactional producer (python3-confluent-kafka).

usage: txn_client.py basic BOOTSTRAP TOPIC          commit, abort, commit over partitions 0 and 1,
                                                     then read both ways
       txn_client.py eos BOOTSTRAP IN OUT GROUP N commit|abort
                                                     consume N records of IN in GROUP, write them
                                                     to OUT and send the offsets in one transaction
       txn_client.py zombie BOOTSTRAP TOPIC         a second producer with the same
                                                     transactional.id fences the first
       txn_client.py dump BOOTSTRAP TOPIC           every record of every partition, read
                                                     read_committed up to the LSO, one JSON line
                                                     each: partition, offset, key and value in hex
The other modes print one JSON object on stdout.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition


def producer(bootstrap, txn_id):
    return Producer({"bootstrap.servers": bootstrap, "transactional.id": txn_id, "linger.ms": 5})


def read_messages(bootstrap, topic, partitions, isolation, timeout_s=20):
    """Reads the partitions from the start until every one reports EOF; returns the messages."""
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "reader-" + isolation,
        "isolation.level": isolation,
        "enable.partition.eof": True,
        "enable.auto.commit": False,
    })
    if partitions is None:
        partitions = list(c.list_topics(topic, timeout=10).topics[topic].partitions)
    c.assign([TopicPartition(topic, p, 0) for p in partitions])
    messages, eof = [], set()
    deadline = time.time() + timeout_s
    while len(eof) < len(partitions) and time.time() < deadline:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
                continue
            raise KafkaException(m.error())
        eof.discard(m.partition())
        messages.append(m)
    c.close()
    return messages


def read_all(bootstrap, topic, partitions, isolation, timeout_s=20):
    """The values of the partitions, sorted."""
    return sorted(m.value().decode() for m in read_messages(bootstrap, topic, partitions, isolation, timeout_s))


def dump(bootstrap, topic):
    for m in read_messages(bootstrap, topic, None, "read_committed", 60):
        print(json.dumps({
            "partition": m.partition(),
            "offset": m.offset(),
            "key": None if m.key() is None else m.key().hex(),
            "value": None if m.value() is None else m.value().hex(),
        }))


def basic(bootstrap, topic):
    p = producer(bootstrap, "txn-" + topic)
    p.init_transactions(30)
    for label, commit in (("c1", True), ("a1", False), ("c2", True)):
        p.begin_transaction()
        for i in range(4):
            p.produce(topic, value=("%s-%d" % (label, i)).encode(), partition=i % 2)
        if commit:
            p.commit_transaction(30)
        else:
            p.flush(30)
            p.abort_transaction(30)
    committed = read_all(bootstrap, topic, [0, 1], "read_committed")
    uncommitted = read_all(bootstrap, topic, [0, 1], "read_uncommitted")
    print(json.dumps({"committed": committed, "uncommitted": uncommitted}))


def eos(bootstrap, src, dst, group, n, outcome):
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "isolation.level": "read_committed",
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
    })
    c.subscribe([src])
    p = producer(bootstrap, "eos-" + group)
    p.init_transactions(30)
    got = []
    deadline = time.time() + 30
    while len(got) < n and time.time() < deadline:
        m = c.poll(0.5)
        if m is None or m.error():
            continue
        got.append(m)
    p.begin_transaction()
    for m in got:
        p.produce(dst, value=m.value().upper(), partition=0)
    p.send_offsets_to_transaction(c.position(c.assignment()), c.consumer_group_metadata(), 30)
    if outcome == "commit":
        p.commit_transaction(30)
    else:
        p.abort_transaction(30)
    committed = c.committed([TopicPartition(src, 0)], 10)
    c.close()
    print(json.dumps({"consumed": len(got), "committed": committed[0].offset}))


def zombie(bootstrap, topic):
    txn_id = "zombie-" + topic
    first = producer(bootstrap, txn_id)
    first.init_transactions(30)
    first.begin_transaction()
    first.produce(topic, value=b"zombie", partition=0)
    first.flush(30)
    second = producer(bootstrap, txn_id)
    second.init_transactions(30)
    fenced = None
    try:
        first.produce(topic, value=b"zombie-2", partition=0)
        first.commit_transaction(30)
    except KafkaException as e:
        err = e.args[0]
        fenced = {"name": err.name(), "fatal": err.fatal()}
    second.begin_transaction()
    second.produce(topic, value=b"winner", partition=0)
    second.commit_transaction(30)
    print(json.dumps({"fenced": fenced, "committed": read_all(bootstrap, topic, [0], "read_committed")}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "basic":
        basic(sys.argv[2], sys.argv[3])
    elif mode == "eos":
        eos(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7])
    elif mode == "zombie":
        zombie(sys.argv[2], sys.argv[3])
    elif mode == "dump":
        dump(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown mode " + mode)
