"""Planning every team runs on real workers from the database queue: across processes, and
again, safely, when a worker dies mid-task (the database backend of the Tasks API)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories.team_day import make_team_day
from wraparound.scheduling.models import DayPlan
from wraparound.scheduling.tasks import plan_every_team, plan_team

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WRAPAROUND = Path(sys.executable).with_name("wraparound")


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.mark.django_db(transaction=True)
def test_planning_every_team_waits_on_the_queue_until_a_worker_runs_it(place, queue):
    team_day = make_team_day(place)
    results = plan_every_team(
        day=team_day["day"], by_team_leader={place.nursing.pk: team_day["leader"]}, time_limit=0.5
    )
    assert [r.status for r in results] == [TaskResultStatus.READY]
    assert not DayPlan.objects.exists()  # nothing ran in the request that enqueued it
    call_command("worker", batch=True)
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    plan = DayPlan.objects.get()
    assert task.return_value["day_plan"] == plan.pk and plan.task_key.startswith("plan-")


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_died_is_run_again_and_changes_nothing_the_second_time(place, queue):
    team_day = make_team_day(place)
    plan_every_team(
        day=team_day["day"], by_team_leader={place.nursing.pk: team_day["leader"]}, time_limit=0.5
    )
    call_command("worker", batch=True)
    first = DayPlan.objects.get()
    # The worker that ran it is killed before it records the task as finished: it stays
    # "running", claimed by a worker that will never come back.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=11),
        finished_at=None,
    )
    call_command("worker", batch=True)  # another worker: puts it back, and runs it again
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert list(DayPlan.objects.values_list("pk", "status")) == [(first.pk, "draft")]
    assert task.return_value["day_plan"] == first.pk
    assert (
        plan_team.call(  # and by hand, with the same key: the same plan, nothing new
            place.nursing.pk,
            team_day["day"].isoformat(),
            team_day["leader"].pk,
            0.5,
            first.task_key,
        )["day_plan"]
        == first.pk
    )


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_the_planning(place, queue):
    team_day = make_team_day(place)
    leader = team_day["leader"]
    # Eight tasks of 1.5 s of search each: far longer than a second worker takes to start,
    # so one worker alone cannot empty the queue before the other joins.
    for n in range(8):
        plan_team.enqueue(
            place.nursing.pk, team_day["day"].isoformat(), leader.pk, 1.5, f"spread-{n}"
        )
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or 'localhost'}"
            f":{database['PORT'] or 5432}/{database['NAME']}"
        )
    env = {**os.environ, "DATABASE_URL": url, "WRAPAROUND_TASK_BACKEND": "database"}
    workers = [subprocess.Popen([str(WRAPAROUND), "worker", "--batch"], env=env) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0
    tasks = list(DBTaskResult.objects.all())
    assert all(t.status == TaskResultStatus.SUCCESSFUL for t in tasks), [t.traceback for t in tasks]
    ran_on = {t.worker_ids[-1] for t in tasks}
    assert len(ran_on) == 2, ran_on
    assert DayPlan.objects.filter(task_key__startswith="spread-").count() == 8
