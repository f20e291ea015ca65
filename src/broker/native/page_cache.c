/*
 * The one system call the broker needs that Node's fs lacks: posix_fadvise(POSIX_FADV_DONTNEED),
 * to let the page cache go of log data the broker wrote, synced and will likely not read again
 * (src/broker/log/page-cache.ts). No npm package offers it with a binary in the registry; this
 * file builds with node-gyp at `npm install` (binding.gyp) in about a second; where it cannot
 * be built, npm install goes on and the broker runs without it.
 *
 *   dropPageCache(fd, offset, length) -> 0, or the errno posix_fadvise returned
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>

static napi_value drop_page_cache(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd;
  int64_t offset, length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &offset) != napi_ok ||
      napi_get_value_int64(env, argv[2], &length) != napi_ok || fd < 0 || offset < 0 || length < 0) {
    napi_throw_type_error(env, NULL, "dropPageCache(fd, offset, length) takes three non-negative integers");
    return NULL;
  }
  napi_value result;
#ifdef POSIX_FADV_DONTNEED
  napi_create_int32(env, posix_fadvise(fd, (off_t)offset, (off_t)length, POSIX_FADV_DONTNEED), &result);
#else
  napi_create_int32(env, ENOSYS, &result);
#endif
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "dropPageCache", NAPI_AUTO_LENGTH, drop_page_cache, NULL, &fn);
  napi_set_named_property(env, exports, "dropPageCache", fn);
  return exports;
}
