// title: Platform members
// description: The members (MEMBER_OF, with their role) and the secretariat
//   (SECRETARIAT_OF) of the platforms $ids.
// params: ids
MATCH (x)-[r:MEMBER_OF]->(pf:Platform)
WHERE pf.id IN $ids
RETURN pf.id AS platform, x.name AS member, x.kind AS kind, 'member' AS relation,
       coalesce(r.role, '') AS role
UNION ALL
MATCH (x)-[:SECRETARIAT_OF]->(pf:Platform)
WHERE pf.id IN $ids
RETURN pf.id AS platform, x.name AS member, x.kind AS kind, 'secretariat' AS relation,
       '' AS role
