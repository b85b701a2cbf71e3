// title: Named bodies
// description: Every organisation, centre, platform and project with its name, alternate
//   names (nicknames, former names) and source, for finding a body by any of its names.
//   One branch per label: the labels have no common one to match on.
// params:
MATCH (n:Organization)
RETURN 'Organization' AS label, n.id AS id, n.name AS name,
       n.alternate_names AS alternate_names, n.source AS source, n.locator AS locator
UNION ALL
MATCH (n:SupportCenter)
RETURN 'SupportCenter' AS label, n.id AS id, n.name AS name,
       n.alternate_names AS alternate_names, n.source AS source, n.locator AS locator
UNION ALL
MATCH (n:Platform)
RETURN 'Platform' AS label, n.id AS id, n.name AS name,
       n.alternate_names AS alternate_names, n.source AS source, n.locator AS locator
UNION ALL
MATCH (n:Project)
RETURN 'Project' AS label, n.id AS id, n.name AS name,
       n.alternate_names AS alternate_names, n.source AS source, n.locator AS locator
