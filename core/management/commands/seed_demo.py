from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_PASSWORD, accounts_table


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run with production settings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size factor for bulky demo data (tests use 0.02); 1.0 is the full demo.",
        )
        parser.add_argument(
            "--through",
            metavar="APP",
            help="Seed the apps in order up to and including this one (e.g. residents); default: all.",
        )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo 只能在开发环境运行（DJANGO_ENV=production 时拒绝执行）。")
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale 应在 0 到 10 之间。")
        ctx = {"demo_scale": options["scale"]}
        ours = [c for c in apps.get_app_configs() if c.path.startswith(str(settings.BASE_DIR))]
        if options["through"]:
            labels = [c.label for c in ours]
            if options["through"] not in labels:
                raise CommandError(f"--through 应为以下之一：{', '.join(labels)}")
            ours = ours[: labels.index(options["through"]) + 1]
        with transaction.atomic():
            for config in ours:
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                self.stdout.write(f"Seeding {config.label} …")
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password {DEMO_PASSWORD}):"))
        for username, role, community in accounts_table():
            self.stdout.write(f"  {username:<11} {role:<8} {community}")
