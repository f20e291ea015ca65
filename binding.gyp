{
  "targets": [
    {
      "target_name": "runnel_native",
      "sources": ["src/broker/native/page_cache.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
