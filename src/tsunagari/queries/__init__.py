"""The questions: named Cypher queries (loaded by name) and the networkx analyses."""
