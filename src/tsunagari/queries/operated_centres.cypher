// title: Operated centres
// description: The support centres each of the organisations $ids operates (OPERATES): a
//   centre cannot run without its operator, so closing an organisation closes these too
//   (siting.py's --close, as resilience.py counts it).
// params: ids
MATCH (o:Organization)-[:OPERATES]->(c:SupportCenter)
WHERE o.id IN $ids
RETURN o.id AS operator, c.id AS centre
ORDER BY operator, centre
