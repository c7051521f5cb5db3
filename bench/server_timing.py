"""The benchmarks' measure of server time: the outermost middleware adds a `Server-Timing`
header with the wall time (`app`) and the thread's CPU time (`cpu`) the request took inside
Django, in milliseconds. Only the benchmarks' settings install it."""

import time


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wall, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        response["Server-Timing"] = (f"app;dur={(time.perf_counter() - wall) * 1000:.3f}, "
                                     f"cpu;dur={(time.thread_time() - cpu) * 1000:.3f}")
        return response
