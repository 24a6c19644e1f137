"""Identity numbers, mobiles and plates that pass residents.validators, for demo data."""

LOCAL_REGIONS = ("310115", "310115", "310112", "310104", "310105", "310107", "310110", "310101")
OTHER_REGIONS = (
    "110105", "440305", "320102", "320583", "330106", "340104", "360102", "420106",
    "430104", "510107", "370102", "410105", "610113", "350203", "230103", "210102",
)  # fmt: skip
# mainland mobile number segments of the three carriers
MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "178", "182",
    "183", "187", "188", "198", "130", "131", "132", "155", "156", "166", "175", "176", "185", "186", "133",
    "153", "173", "177", "180", "181", "189", "199",
)  # fmt: skip
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # never I or O
DIGITS = "0123456789"
# province, its city letters, weight: cars in Shanghai are mostly 沪, some from next door
PLATE_ORIGINS = (("沪", "ABCDEFGHJKLMN", 80), ("苏", "ABEF", 8), ("浙", "ABF", 7), ("皖", "AB", 5))


def resident_id_check_char(body):
    """GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits:
    the i-th digit from the left weighs 2^(17-i) mod 11."""
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(body))
    return "10X98765432"[total % 11]


def resident_id(region, birth, sequence):
    """An 18-character 居民身份证 number; an odd sequence is a man, an even one a woman."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + resident_id_check_char(body)


def random_mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def random_plate(rng, *, new_energy=False):
    """沪A·12345 style (7 characters, at most two letters) or new-energy 沪AD12345 (8)."""
    province, cities, _ = rng.choices(PLATE_ORIGINS, weights=[w for *_, w in PLATE_ORIGINS])[0]
    city = rng.choice(cities)
    if new_energy:
        return f"{province}{city}{rng.choice('DF')}{rng.choice(PLATE_LETTERS + DIGITS)}{rng.randrange(10**4):04d}"
    tail = [rng.choice(DIGITS) for _ in range(5)]
    for position in rng.sample(range(5), rng.choice((0, 0, 1, 1, 2))):
        tail[position] = rng.choice(PLATE_LETTERS)
    return f"{province}{city}{''.join(tail)}"
