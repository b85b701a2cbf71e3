// title: Partners of a place
// description: The actors a prefecture or municipality ($code) works with directly
//   (PARTNERS_WITH, either direction), with the source's note on the tie.
// params: code
MATCH (g)-[r:PARTNERS_WITH]->(x)
WHERE g.code = $code
RETURN x.name AS partner, x.kind AS kind, 'to' AS direction, coalesce(r.note, '') AS note
UNION ALL
MATCH (x)-[r:PARTNERS_WITH]->(g)
WHERE g.code = $code
RETURN x.name AS partner, x.kind AS kind, 'from' AS direction, coalesce(r.note, '') AS note
