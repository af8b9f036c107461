"""Referral intake for a spine surgeon's second-opinion service (deployed with app.py)."""
