// title: Provider details
// description: What a reader needs to reach and trust each provider in $ids: its kind,
//   specialised or general, stated or named, review status and verification, contact
//   (address, phone, hours, official page with its publisher and check date) and provenance
//   (source, locator, as-of date). Only centres and organisations carry contacts, so the other labels return them empty; one
//   branch per label because the label is written in the query.
// params: ids
MATCH (p:SupportCenter) WHERE p.id IN $ids
RETURN 'SupportCenter' AS label, p.id AS id, coalesce(p.kind, '') AS kind,
       coalesce(p.verification, '') AS verification, coalesce(p.specialised, false) AS specialised,
       coalesce(p.stated, false) AS stated, coalesce(p.status, '') AS status,
       coalesce(p.address, '') AS address, coalesce(p.phone, '') AS phone,
       coalesce(p.hours, '') AS hours, coalesce(p.url, '') AS url,
       coalesce(p.url_publisher, '') AS url_publisher, coalesce(p.url_checked, '') AS url_checked,
       p.source AS source, p.locator AS locator, coalesce(p.as_of, '') AS as_of
UNION ALL
MATCH (p:Organization) WHERE p.id IN $ids
RETURN 'Organization' AS label, p.id AS id, coalesce(p.kind, '') AS kind,
       coalesce(p.verification, '') AS verification, coalesce(p.specialised, false) AS specialised,
       false AS stated, coalesce(p.status, '') AS status,
       coalesce(p.address, '') AS address, coalesce(p.phone, '') AS phone,
       coalesce(p.hours, '') AS hours, coalesce(p.url, '') AS url,
       coalesce(p.url_publisher, '') AS url_publisher, coalesce(p.url_checked, '') AS url_checked,
       p.source AS source, p.locator AS locator, coalesce(p.as_of, '') AS as_of
UNION ALL
MATCH (p:Project) WHERE p.id IN $ids
RETURN 'Project' AS label, p.id AS id, '' AS kind, '' AS verification,
       coalesce(p.specialised, false) AS specialised,
       false AS stated, '' AS status, '' AS address, '' AS phone, '' AS hours, '' AS url,
       '' AS url_publisher, '' AS url_checked,
       p.source AS source, p.locator AS locator, coalesce(p.as_of, '') AS as_of
UNION ALL
MATCH (p:Platform) WHERE p.id IN $ids
RETURN 'Platform' AS label, p.id AS id, '' AS kind, '' AS verification,
       coalesce(p.specialised, false) AS specialised,
       false AS stated, '' AS status, '' AS address, '' AS phone, '' AS hours, '' AS url,
       '' AS url_publisher, '' AS url_checked,
       p.source AS source, p.locator AS locator, coalesce(p.as_of, '') AS as_of
