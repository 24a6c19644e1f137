"""Beat jobs of core. Each app may have a `schedules.py` with a SCHEDULES list;
`core.beat.install_schedules` creates the missing ones after migrate."""

from core.beat import Schedule

SCHEDULES = [
    Schedule(
        name="日历：未录入年度放假安排提醒",
        task="core.tasks.warn_uncovered_calendar_years",
        minute="0",
        hour="8",
        description="每天 08:00 检查本年（及12月起的下一年）法定节假日安排是否已知，未知则提醒公司管理员。",
    ),
    Schedule(
        name="消息：清理已读旧提醒",
        task="core.tasks.purge_read_reminders",
        minute="30",
        hour="3",
        description="每天 03:30 删除已读超过 REMINDER_READ_RETENTION_DAYS 天的提醒。",
    ),
]
