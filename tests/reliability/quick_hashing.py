"""Settings for building the reliability tests' demo template: the site's own, with quick password hashes.

The demo's 22 users cost a second each at the production hasher's iterations. Hashes of the
same algorithm with fewer iterations still verify under the production settings (the count is
part of the hash), which upgrade each one at its first sign-in, as after an iteration bump.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from bcf_dashboard.settings import *  # noqa: F403 - the site's settings, one setting changed


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


PASSWORD_HASHERS = ["tests.reliability.quick_hashing.QuickPBKDF2PasswordHasher"]
