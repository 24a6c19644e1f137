"""Run the web server, one Celery worker and Celery beat together in the
foreground (what `make run` ends with). Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, accounts_table


class Command(BaseCommand):
    help = "Start web server, Celery worker and Celery beat; Ctrl-C stops all."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def _pump(self, name, stream):
        for line in iter(stream.readline, ""):
            self.stdout.write(f"[{name:<6}] {line.rstrip()}")
            self.stdout.flush()

    def handle(self, *args, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", options["addr"], "--noreload"],
            "worker": [python, "-m", "celery", "-A", "config", "worker", "-l", "info", "--concurrency", "2"],
            "beat": [python, "-m", "celery", "-A", "config", "beat", "-l", "info"],
        }
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        processes = {}
        for name, command in commands.items():
            processes[name] = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            threading.Thread(target=self._pump, args=(name, processes[name].stdout), daemon=True).start()

        broker = "Redis" if settings.REDIS_URL else "本地文件队列 (var/broker)"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            self.style.SUCCESS(f"\n物业管家已启动: http://{options['addr']}/  (数据库 {database}, 消息队列 {broker})")
        )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）:")
        for username, role, community in accounts_table():
            self.stdout.write(f"  {username:<11} {role:<8} {community}")
        self.stdout.write("按 Ctrl-C 停止 web、worker、beat。\n")

        def stop(*_):
            # The main process only: a Celery worker then shuts its pool down itself.
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()

        # A shell that starts us in the background may have set SIGINT to "ignore";
        # Ctrl-C must still stop everything.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            dead = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"进程已退出: {', '.join(dead)}；正在停止其余进程。")
        except KeyboardInterrupt:
            self.stdout.write("\n正在停止 …")
        finally:
            stop()
            deadline = time.time() + 10
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            self.stdout.write("web、worker、beat 已全部停止。")
