// title: Referrals
// description: Every REFERS_TO tie, with the label, key, name, kind and services of both
//   ends (the referral paths on a town's page). labels() is a string in LadybugDB, a list
//   in Neo4j; a property a node's table lacks reads as null.
// params:
MATCH (x)-[:REFERS_TO]->(y)
RETURN labels(x) AS from_label, coalesce(x.id, x.code) AS from_key, x.name AS from_name,
       x.kind AS from_kind, x.services AS from_services,
       labels(y) AS to_label, coalesce(y.id, y.code) AS to_key, y.name AS to_name,
       y.kind AS to_kind, y.services AS to_services
