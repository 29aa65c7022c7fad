"""Storage: SQLAlchemy models, sessions and the operations the product needs."""
