// title: Loaded sources
// description: The sources this graph was built from and how many facts each gave; every
//   answer states these so a reader knows what "none" is relative to.
// params:
MATCH (s:Source)
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.rows AS rows
ORDER BY id
