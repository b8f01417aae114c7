"""The background runner: results on the GUI thread, one writer, newest-wins coalescing."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from desktop.tasks import Tasks
from kb.errors import Cancelled, InvalidInput


@pytest.fixture
def tasks(qtbot):
    runner = Tasks()
    yield runner
    runner.shutdown()


def test_results_arrive_on_the_gui_thread(qtbot, tasks: Tasks) -> None:
    seen = {}

    def on_done(value):
        seen["value"] = value
        seen["gui_thread"] = QThread.currentThread() is tasks.thread()

    def work():
        seen["worker"] = threading.current_thread().name
        return 42

    task = tasks.read(work, on_done=on_done)
    qtbot.waitUntil(lambda: task.done)
    assert seen == {"worker": seen["worker"], "value": 42, "gui_thread": True}
    assert seen["worker"].startswith("tactful-read")


def test_writes_run_one_at_a_time_in_order(qtbot, tasks: Tasks) -> None:
    order, active, peak = [], [0], [0]
    lock = threading.Lock()

    def write(n):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.01)
        order.append(n)
        with lock:
            active[0] -= 1

    handles = [tasks.write(write, n) for n in range(6)]
    qtbot.waitUntil(lambda: all(h.done for h in handles))
    assert order == list(range(6)) and peak[0] == 1


def test_keyed_requests_coalesce_and_only_the_newest_answer_is_delivered(qtbot, tasks: Tasks) -> None:
    gate = threading.Event()
    ran, delivered = [], []

    def search(text):
        ran.append(text)
        if text == "r":
            gate.wait(5)
        return text

    for text in ["r", "re", "ref", "refu", "refund"]:
        tasks.read(search, text, key="search", on_done=delivered.append)
    gate.set()
    qtbot.waitUntil(lambda: delivered == ["refund"])
    assert ran == ["r", "refund"]  # the middle keystrokes never ran


def test_user_errors_and_bugs_take_different_roads(qtbot, tasks: Tasks) -> None:
    def user_mistake():
        raise InvalidInput("That folder does not exist.")

    def bug():
        raise ZeroDivisionError("boom")

    with qtbot.waitSignal(tasks.user_error) as user:
        tasks.read(user_mistake)
    assert user.args == ["That folder does not exist."]
    with qtbot.waitSignal(tasks.unexpected) as crash:
        tasks.read(bug)
    assert isinstance(crash.args[0], ZeroDivisionError) and "ZeroDivisionError" in crash.args[1]
    caught = []
    task = tasks.read(user_mistake, on_error=caught.append)
    qtbot.waitUntil(lambda: task.done)
    assert [str(e) for e in caught] == ["That folder does not exist."]


def test_long_work_reports_progress_and_can_be_cancelled(qtbot, tasks: Tasks) -> None:
    steps = []

    def work(progress, cancel):
        for i in range(1000):
            cancel.raise_if_cancelled()
            progress(i, 1000, "working")
            time.sleep(0.001)
        return "finished"

    task = tasks.long(work, on_error=lambda e: steps.append(type(e).__name__))
    task.progressed.connect(lambda d, t, m: steps.append(d) if d == 5 and d not in steps else None)
    qtbot.waitUntil(lambda: 5 in steps)
    task.cancel()
    qtbot.waitUntil(lambda: task.done)
    assert steps[-1] == Cancelled.__name__


def test_cycles_are_collected_on_the_gui_thread_only(qtbot) -> None:
    """A cycle holding a Qt object freed on a worker thread crashes Qt; so collect on the GUI thread."""
    import gc

    from desktop.tasks import Tasks

    assert gc.isenabled()
    tasks = Tasks()
    try:
        assert not gc.isenabled()

        class Cycle:
            pass

        def make_garbage() -> None:
            for _ in range(50_000):
                a, b = Cycle(), Cycle()
                a.other, b.other = b, a

        done = []
        tasks.read(make_garbage, on_done=lambda _: done.append(True))
        qtbot.waitUntil(lambda: done == [True])
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=3_000)
    finally:
        tasks.shutdown()
    assert gc.isenabled()
