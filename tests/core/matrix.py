from tests.matrix import Row, everyone

ROWS = [
    Row("core:home", everyone(200)),
    Row("core:inbox", everyone(200)),
    Row(
        "core:reminder_read",
        # A reminder is its recipient's alone: everyone else gets 404.
        {**everyone(404), "butler1": 302},
        method="post",
        kwargs=lambda w: {"pk": w["reminder1"].pk},
        out_of_scope=lambda w: {"pk": w["reminder3"].pk},
        expect_out={"admin": 404, "butler3": 302},
    ),
    Row("core:reminder_read_all", everyone(302), method="post"),
    Row(
        "core:switch_community",
        {**everyone(302), "butler3": 404},
        method="post",
        data=lambda w: {"community": w["community"].pk},
        out_data=lambda w: {"community": w["community2"].pk},
        expect_out={"admin": 302, "butler3": 302},
    ),
    Row("core:healthz", {**everyone(200), "anonymous": 200}),
    Row("login", {**everyone(302), "anonymous": 200}),
    Row("logout", {**everyone(302), "anonymous": 302}, method="post"),
]
