"""Compatibility name: the local gateway lives in storefirst.local.apigw."""

from .apigw import Gateway

__all__ = ["Gateway"]
