"""A stdout callback for tests: at the end of a run, one JSON document listing every
task result (host, task name, status, stdout, rc, msg). ansible-core ships no JSON
callback (ansible.posix's is a collection download); tests enable this one with
ANSIBLE_CALLBACK_PLUGINS=<this directory> ANSIBLE_STDOUT_CALLBACK=govops_json.
"""

from __future__ import annotations

import json
from typing import Any

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):  # type: ignore[misc]
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "govops_json"

    def __init__(self) -> None:
        super().__init__()
        self.results: list[dict[str, Any]] = []

    def _add(self, result: Any, status: str) -> None:
        host = getattr(result, "host", None) or result._host
        task = getattr(result, "task", None) or result._task
        res = getattr(result, "result", None)
        if res is None:
            res = result._result
        self.results.append(
            {
                "host": host.get_name(),
                "task": task.get_name(),
                "status": status,
                "stdout": str(res.get("stdout", "")),
                "stderr": str(res.get("stderr", "")),
                "rc": res.get("rc"),
                "changed": bool(res.get("changed", False)),
                "msg": str(res.get("msg", "")),
            }
        )

    def v2_runner_on_ok(self, result: Any) -> None:
        self._add(result, "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._add(result, "failed")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._add(result, "unreachable")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._add(result, "skipped")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._display.display(json.dumps({"results": self.results}))
