"""callkit: a sales-department audit from telephony exports.

Public names are re-exported here; nothing else happens at import.
"""
from callkit.errors import CallkitError, DataQualityWarning, FormatError, InputError, ProfileError
from callkit.profile import Profile, load_profile

__all__ = [
    "CallkitError", "DataQualityWarning", "FormatError", "InputError", "ProfileError",
    "Profile", "load_profile",
]
__version__ = "0.1.0"
