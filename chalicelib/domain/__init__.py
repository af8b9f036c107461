"""The domain: request models, clinical rules and the referral's life cycle. No I/O."""
