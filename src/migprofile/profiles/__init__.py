"""Profiles: the plain data object behind every rendering of a country or region."""

from migprofile.profiles.build import ProfileBuilder, build_profile
from migprofile.profiles.model import Figure, Profile, Section, Series

__all__ = ["Figure", "Profile", "ProfileBuilder", "Section", "Series", "build_profile"]
