"""The AWS side: each adapter is handed its boto3 client or table, so tests give it moto's."""
