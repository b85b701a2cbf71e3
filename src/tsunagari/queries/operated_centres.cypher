// title: Operated centres
// description: Every organisation that operates a support centre (OPERATES), with both
//   names: a centre cannot run without its operator, so closing an organisation closes
//   these too (siting.py's --close, as resilience.py counts it), and an operator may be
//   closed by name even when it reaches no town itself.
// params:
MATCH (o:Organization)-[:OPERATES]->(c:SupportCenter)
RETURN o.id AS operator, o.name AS operator_name, c.id AS centre
ORDER BY operator, centre
