// title: Project ids
// description: The id of every funded project, so that the projects of every town can be read
//   in one call of project_participants (the report writes a page for each town).
// params:
MATCH (p:Project)
RETURN p.id AS id
ORDER BY id
