"""PIA and Terms of Reference pages (mounted without a prefix: paths here are written in full, /pia and /tor)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
