// title: Project grants
// description: The grants funding the projects $ids (FUNDS, with the amount).
// params: ids
MATCH (gr:Grant)-[f:FUNDS]->(p:Project)
WHERE p.id IN $ids
RETURN p.id AS id, gr.name AS grant, f.amount_thousand_yen AS amount_thousand_yen
