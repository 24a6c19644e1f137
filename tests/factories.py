"""factory-boy factories for the core models; later apps add theirs beside these."""

import factory
from factory.django import DjangoModelFactory

from core.choices import Role
from core.models import Community, Company, Department, Membership, Reminder, User
from core.services import DEFAULT_DEPARTMENTS

TEST_PASSWORD = "correct-horse-battery-9"


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"物业公司{n}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"小区{n}")
    code = factory.Sequence(lambda n: f"c{n}")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted is not False:
            for kind in DEFAULT_DEPARTMENTS:
                Department.objects.get_or_create(community=self, kind=kind, defaults={"name": kind.label})


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Role.BUTLER


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    text = factory.Sequence(lambda n: f"提醒{n}")
    dedup_key = factory.Sequence(lambda n: f"test:{n}")


def make_staff(username, community, role, **membership):
    """A staff member holding `role` in `community`."""
    user = UserFactory(username=username, company=community.company)
    MembershipFactory(user=user, community=community, role=role, **membership)
    return user


def make_company_admin(username, company):
    return UserFactory(username=username, company=company, is_company_admin=True)
