"""Which roles may use which part of the archive (SPEC §0)."""

from core.choices import Role

# Technicians see their work orders, not the archive.
READERS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.FINANCE)
# 客服部 keeps the archive.
EDITORS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER)
# Onboarding buildings, zones and imports.
ADMINS = (Role.SUPERVISOR, Role.MANAGER)
ABSENCE_RECORDERS = (Role.FRONT_DESK, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER)
REVEAL_LOG_READERS = (Role.MANAGER,)
