"""Disclosure checks and the decision log pages (mounted at ``/disclosure``)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
