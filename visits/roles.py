from core.choices import Role

# Who visits households and logs it.
VISITORS = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER)
REVIEWERS = (Role.SUPERVISOR, Role.MANAGER)
POLICY_EDITORS = (Role.MANAGER,)
