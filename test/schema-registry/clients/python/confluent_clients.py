"""Drives a Runnel registry with confluent-kafka-python 1.7 (Debian): SchemaRegistryClient,
its JSON Schema serializer, and the legacy Avro module. Prints one JSON object of results.
Usage: confluent_clients.py URL SUFFIX"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

url, suffix = sys.argv[1], sys.argv[2]
out = {}
client = SchemaRegistryClient({"url": url})

subject = "py-json-" + suffix
schema_str = json.dumps({"title": "Order", "type": "object",
                         "properties": {"id": {"type": "integer"}, "item": {"type": "string"}},
                         "required": ["id"]})
out["registered_id"] = client.register_schema(subject, Schema(schema_str, "JSON"))
latest = client.get_latest_version(subject)
out["latest"] = {"id": latest.schema_id, "version": latest.version, "subject": latest.subject,
                 "type": latest.schema.schema_type}
out["lookup_version"] = client.lookup_schema(subject, Schema(schema_str, "JSON")).version
out["subjects_has"] = subject in client.get_subjects()
narrower = json.dumps({"title": "Order", "type": "object",
                       "properties": {"id": {"type": "integer"}, "item": {"type": "string"}},
                       "required": ["id"], "additionalProperties": False})
out["compatible_narrower"] = client.test_compatibility(subject, Schema(narrower, "JSON"))
out["set_compat"] = client.set_compatibility(subject_name=subject, level="NONE")
out["get_compat"] = client.get_compatibility(subject)
try:
    client.get_version(subject, 42)
except SchemaRegistryError as e:
    out["missing_version"] = {"http": e.http_status_code, "code": e.error_code, "message": e.error_message}

topic = "py-topic-" + suffix
ser = JSONSerializer(schema_str, client)
ctx = SerializationContext(topic, MessageField.VALUE)
data = ser({"id": 7, "item": "pen"}, ctx)
out["json_bytes_hex"] = data.hex()
out["json_roundtrip"] = JSONDeserializer(schema_str)(data, ctx)
try:
    ser({"item": "no id"}, ctx)
except Exception as e:  # the serializer validates with python3-jsonschema
    out["json_invalid"] = type(e).__name__

# Legacy Avro module (python3-avro; fastavro is not in Debian).
from confluent_kafka import avro
from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

legacy = CachedSchemaRegistryClient({"url": url})
value_schema = avro.loads(json.dumps({"type": "record", "name": "User", "namespace": "py",
                                      "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}))
avro_subject = "py-avro-" + suffix + "-value"
out["avro_id"] = legacy.register(avro_subject, value_schema)
serializer = MessageSerializer(legacy)
encoded = serializer.encode_record_with_schema("py-avro-" + suffix, value_schema, {"id": 5, "name": "eve"})
out["avro_bytes_hex"] = encoded.hex()
out["avro_decoded"] = serializer.decode_message(encoded)
out["avro_latest"] = legacy.get_latest_schema(avro_subject)[0]
print(json.dumps(out))
