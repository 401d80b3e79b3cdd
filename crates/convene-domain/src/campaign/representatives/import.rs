//! Reading representatives from the files people have: **Popolo** JSON (persons,
//! organizations, posts, memberships, areas: the format of EveryPolitician and of
//! many parliaments' open data) and **CSV** (one representative per row).
//!
//! Reading checks the file on its own (references that lead nowhere, missing
//! names); the areas are matched to the gazetteer when the representatives are
//! stored ([`crate::Db::import_representatives`]). Every problem is named by where
//! it is: the list and the item (Popolo) or the line and the column (CSV).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::error::RowError;

/// The most representatives one file may hold.
pub const MAX_REPRESENTATIVES: usize = 20_000;

/// A representative as read from a file, before their area is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepSource {
    /// Stable within the file's source (`popolo:<membership>` or `csv:<id>`), so
    /// that importing the file again updates rather than adds.
    pub source_id: String,
    pub name: String,
    /// Their seat or office (`Member for Tarn`, `Elder`, `District council chair`).
    pub role: String,
    /// Their party or body.
    pub organisation: String,
    /// How the file names their area: the words any of which may match a place's
    /// code or a name (an identifier, the id, the name).
    pub area: Vec<String>,
    /// Where the area was named, for an error when it matches no place.
    pub at: RowError,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub community: bool,
}

fn problem(sheet: &'static str, line: u64, column: &str, key: &'static str) -> RowError {
    RowError {
        sheet,
        line,
        column: column.to_string(),
        key,
    }
}

#[derive(Deserialize, Default)]
struct Popolo {
    #[serde(default)]
    persons: Vec<Person>,
    #[serde(default)]
    organizations: Vec<Organization>,
    #[serde(default)]
    posts: Vec<Post>,
    #[serde(default)]
    memberships: Vec<Membership>,
    #[serde(default)]
    areas: Vec<Area>,
}

#[derive(Deserialize, Default)]
struct ContactDetail {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    value: String,
}

#[derive(Deserialize, Default)]
struct Person {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    contact_details: Vec<ContactDetail>,
}

#[derive(Deserialize, Default)]
struct Organization {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    classification: Option<String>,
}

#[derive(Deserialize, Default)]
struct Post {
    #[serde(default)]
    id: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    organization_id: Option<String>,
    #[serde(default)]
    area_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct Membership {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    organization_id: Option<String>,
    #[serde(default)]
    on_behalf_of_id: Option<String>,
    #[serde(default)]
    post_id: Option<String>,
    #[serde(default)]
    area_id: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
}

#[derive(Deserialize, Default)]
struct Identifier {
    #[serde(default)]
    identifier: String,
}

#[derive(Deserialize, Default)]
struct Area {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    identifiers: Vec<Identifier>,
    #[serde(default)]
    parent_id: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn contact(p: &Person, kinds: &[&str]) -> String {
    p.contact_details
        .iter()
        .find(|c| kinds.contains(&c.kind.trim().to_lowercase().as_str()))
        .map(|c| c.value.trim().to_string())
        .unwrap_or_default()
}

/// Reads a Popolo file. A membership with an area (its own or its post's) that has
/// not ended by `today` (`YYYY-MM-DD`) is a representative; the person's party is
/// the membership's `on_behalf_of`, or the organisation of classification `party`
/// they are a member of.
pub fn read_popolo(bytes: &[u8], today: &str) -> Result<Vec<RepSource>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let p: Popolo = serde_json::from_slice(bytes).map_err(|e| {
        vec![problem(
            "popolo",
            e.line() as u64,
            "",
            if e.is_data() {
                "rep-error-popolo-shape"
            } else {
                "rep-error-json"
            },
        )]
    })?;
    let mut errs = Vec::new();
    let mut ids = |list: &'static str, items: Vec<&str>| -> HashSet<String> {
        let mut seen = HashSet::new();
        for (i, id) in items.into_iter().enumerate() {
            let id = id.trim();
            if id.is_empty() {
                errs.push(problem(list, i as u64 + 1, "id", "rep-error-no-id"));
            } else if !seen.insert(id.to_string()) {
                errs.push(problem(list, i as u64 + 1, "id", "rep-error-duplicate-id"));
            }
        }
        seen
    };
    let persons = ids("persons", p.persons.iter().map(|x| x.id.as_str()).collect());
    let orgs = ids(
        "organizations",
        p.organizations.iter().map(|x| x.id.as_str()).collect(),
    );
    let posts = ids("posts", p.posts.iter().map(|x| x.id.as_str()).collect());
    let areas = ids("areas", p.areas.iter().map(|x| x.id.as_str()).collect());
    let dangling = |errs: &mut Vec<RowError>,
                    list: &'static str,
                    i: usize,
                    column: &str,
                    value: Option<&str>,
                    known: &HashSet<String>| {
        if let Some(v) = value {
            if !known.contains(v.trim()) {
                errs.push(problem(list, i as u64 + 1, column, "rep-error-dangling"));
            }
        }
    };
    for (i, x) in p.persons.iter().enumerate() {
        if x.name.trim().is_empty() {
            errs.push(problem(
                "persons",
                i as u64 + 1,
                "name",
                "rep-error-no-name",
            ));
        }
    }
    for (i, x) in p.posts.iter().enumerate() {
        dangling(
            &mut errs,
            "posts",
            i,
            "organization_id",
            nonempty(&x.organization_id),
            &orgs,
        );
        dangling(
            &mut errs,
            "posts",
            i,
            "area_id",
            nonempty(&x.area_id),
            &areas,
        );
    }
    for (i, x) in p.areas.iter().enumerate() {
        dangling(
            &mut errs,
            "areas",
            i,
            "parent_id",
            nonempty(&x.parent_id),
            &areas,
        );
    }
    for (i, m) in p.memberships.iter().enumerate() {
        if m.person_id.trim().is_empty() {
            errs.push(problem(
                "memberships",
                i as u64 + 1,
                "person_id",
                "rep-error-no-person",
            ));
        } else {
            dangling(
                &mut errs,
                "memberships",
                i,
                "person_id",
                Some(&m.person_id),
                &persons,
            );
        }
        dangling(
            &mut errs,
            "memberships",
            i,
            "organization_id",
            nonempty(&m.organization_id),
            &orgs,
        );
        dangling(
            &mut errs,
            "memberships",
            i,
            "on_behalf_of_id",
            nonempty(&m.on_behalf_of_id),
            &orgs,
        );
        dangling(
            &mut errs,
            "memberships",
            i,
            "post_id",
            nonempty(&m.post_id),
            &posts,
        );
        dangling(
            &mut errs,
            "memberships",
            i,
            "area_id",
            nonempty(&m.area_id),
            &areas,
        );
    }
    if !errs.is_empty() {
        errs.truncate(200);
        return Err(errs);
    }
    let person: HashMap<&str, &Person> = p.persons.iter().map(|x| (x.id.trim(), x)).collect();
    let org: HashMap<&str, &Organization> =
        p.organizations.iter().map(|x| (x.id.trim(), x)).collect();
    let post: HashMap<&str, &Post> = p.posts.iter().map(|x| (x.id.trim(), x)).collect();
    let area: HashMap<&str, (usize, &Area)> = p
        .areas
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.trim(), (i, x)))
        .collect();
    let ended = |m: &Membership| nonempty(&m.end_date).is_some_and(|d| d < today);
    // Each person's party, from their memberships of a party.
    let mut party: HashMap<&str, &str> = HashMap::new();
    for m in p.memberships.iter().filter(|m| !ended(m)) {
        if let Some(o) = nonempty(&m.organization_id).and_then(|o| org.get(o)) {
            if o.classification
                .as_deref()
                .map(str::to_lowercase)
                .as_deref()
                == Some("party")
            {
                party.insert(m.person_id.trim(), o.name.trim());
            }
        }
    }
    let mut out = Vec::new();
    for m in &p.memberships {
        if ended(m) {
            continue;
        }
        let the_post = nonempty(&m.post_id).and_then(|x| post.get(x));
        let area_id = nonempty(&m.area_id).or_else(|| the_post.and_then(|x| nonempty(&x.area_id)));
        let Some(area_id) = area_id else { continue };
        let Some(&(ai, a)) = area.get(area_id) else {
            continue;
        };
        let Some(who) = person.get(m.person_id.trim()) else {
            continue;
        };
        let body = nonempty(&m.organization_id)
            .or_else(|| the_post.and_then(|x| nonempty(&x.organization_id)))
            .and_then(|o| org.get(o))
            .map(|o| o.name.trim())
            .unwrap_or("");
        let role = the_post
            .and_then(|x| nonempty(&x.label).or(nonempty(&x.role)))
            .or(nonempty(&m.label))
            .or(nonempty(&m.role))
            .unwrap_or(body);
        let organisation = nonempty(&m.on_behalf_of_id)
            .and_then(|o| org.get(o))
            .map(|o| o.name.trim())
            .or_else(|| party.get(m.person_id.trim()).copied())
            .unwrap_or(body);
        let mut keys: Vec<String> = a
            .identifiers
            .iter()
            .map(|x| x.identifier.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect();
        keys.push(a.id.trim().to_string());
        if !a.name.trim().is_empty() {
            keys.push(a.name.trim().to_string());
        }
        let source = match nonempty(&m.id) {
            Some(id) => format!("popolo:{id}"),
            None => format!("popolo:{}@{area_id}", m.person_id.trim()),
        };
        out.push(RepSource {
            source_id: source,
            name: who.name.trim().to_string(),
            role: role.to_string(),
            organisation: organisation.to_string(),
            area: keys,
            at: problem("areas", ai as u64 + 1, "id", "rep-error-area-unknown"),
            email: nonempty(&who.email)
                .map(str::to_string)
                .unwrap_or_else(|| contact(who, &["email"])),
            phone: contact(who, &["phone", "cell", "voice", "mobile"]),
            address: contact(who, &["address", "postal"]),
            community: false,
        });
    }
    if out.is_empty() {
        return Err(vec![problem("popolo", 0, "", "rep-error-none")]);
    }
    if out.len() > MAX_REPRESENTATIVES {
        return Err(vec![problem("popolo", 0, "", "rep-error-too-many")]);
    }
    Ok(out)
}

/// The CSV columns, by the header names accepted for each.
fn column(name: &str) -> Option<&'static str> {
    let n = name
        .trim()
        .trim_start_matches('#')
        .to_lowercase()
        .replace([' ', '-'], "_");
    Some(match n.as_str() {
        "id" | "identifier" => "id",
        "name" | "full_name" => "name",
        "role" | "post" | "seat" | "office" => "role",
        "organisation" | "organization" | "party" | "group" => "organisation",
        "area" | "area_code" | "place" | "place_code" | "district" | "constituency" => "area",
        "email" | "e_mail" => "email",
        "phone" | "mobile" | "telephone" => "phone",
        "address" | "postal_address" => "address",
        "community" => "community",
        _ => return None,
    })
}

/// Reads a CSV file with a header row: `name` and `area` (a place's code or name)
/// required; `id`, `role`, `organisation`, `email`, `phone`, `address`,
/// `community` (yes/no) optional.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<RepSource>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => rows.push(r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let key = if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    "rep-error-encoding"
                } else {
                    "rep-error-csv"
                };
                return Err(vec![problem("csv", line, "", key)]);
            }
        }
        if rows.len() > MAX_REPRESENTATIVES + 1 {
            return Err(vec![problem("csv", 0, "", "rep-error-too-many")]);
        }
    }
    let Some(header) = rows.first() else {
        return Err(vec![problem("csv", 0, "", "rep-error-none")]);
    };
    let cols: HashMap<&'static str, usize> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| column(h).map(|c| (c, i)))
        .collect();
    let mut errs = Vec::new();
    for needed in ["name", "area"] {
        if !cols.contains_key(needed) {
            errs.push(problem("csv", 1, needed, "rep-error-column-missing"));
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let line = i as u64 + 1;
        let get = |c: &str| {
            cols.get(c)
                .and_then(|&j| row.get(j))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = get("name");
        let area = get("area");
        if name.is_empty() {
            errs.push(problem("csv", line, "name", "rep-error-no-name"));
        }
        if area.is_empty() {
            errs.push(problem("csv", line, "area", "rep-error-no-area"));
        }
        let id = get("id");
        let source_id = if id.is_empty() {
            format!("csv:{}@{}", name.to_lowercase(), area.to_lowercase())
        } else {
            format!("csv:{id}")
        };
        if !name.is_empty() && !seen.insert(source_id.clone()) {
            errs.push(problem("csv", line, "id", "rep-error-duplicate-id"));
        }
        let community = matches!(
            get("community").to_lowercase().as_str(),
            "yes" | "y" | "true" | "1"
        );
        out.push(RepSource {
            source_id,
            name,
            role: get("role"),
            organisation: get("organisation"),
            area: vec![area],
            at: problem("csv", line, "area", "rep-error-area-unknown"),
            email: get("email"),
            phone: get("phone"),
            address: get("address"),
            community,
        });
    }
    if !errs.is_empty() {
        errs.truncate(200);
        return Err(errs);
    }
    if out.is_empty() {
        return Err(vec![problem("csv", 0, "", "rep-error-none")]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POPOLO: &str = r#"{
      "persons": [
        {"id": "p1", "name": "Amina Roshan", "email": "amina@parliament.example",
         "contact_details": [{"type": "phone", "value": "+255700000001"}]},
        {"id": "p2", "name": "Davut Kell", "contact_details": [{"type": "address", "value": "1 Hill Road, Tarn"}]},
        {"id": "p3", "name": "Former Member"}
      ],
      "organizations": [
        {"id": "leg", "name": "National Assembly", "classification": "legislature"},
        {"id": "green", "name": "Green Unity", "classification": "party"}
      ],
      "areas": [{"id": "ocd/tarn", "name": "Tarn", "identifiers": [{"scheme": "pcode", "identifier": "VL-01"}]}],
      "posts": [{"id": "seat-tarn", "label": "Member for Tarn", "organization_id": "leg", "area_id": "ocd/tarn"}],
      "memberships": [
        {"id": "m1", "person_id": "p1", "organization_id": "leg", "post_id": "seat-tarn", "on_behalf_of_id": "green"},
        {"person_id": "p2", "organization_id": "leg", "area_id": "ocd/tarn", "role": "Senator"},
        {"person_id": "p2", "organization_id": "green"},
        {"person_id": "p3", "organization_id": "leg", "area_id": "ocd/tarn", "end_date": "2020-01-01"}
      ]
    }"#;

    #[test]
    fn popolo_memberships_with_an_area_are_representatives() {
        let reps = read_popolo(POPOLO.as_bytes(), "2026-12-07").unwrap();
        assert_eq!(reps.len(), 2, "the ended membership is left out");
        assert_eq!(reps[0].source_id, "popolo:m1");
        assert_eq!(reps[0].name, "Amina Roshan");
        assert_eq!(reps[0].role, "Member for Tarn");
        assert_eq!(reps[0].organisation, "Green Unity");
        assert_eq!(reps[0].email, "amina@parliament.example");
        assert_eq!(reps[0].phone, "+255700000001");
        assert_eq!(reps[0].area, vec!["VL-01", "ocd/tarn", "Tarn"]);
        assert_eq!(reps[1].source_id, "popolo:p2@ocd/tarn");
        assert_eq!(reps[1].role, "Senator");
        assert_eq!(
            reps[1].organisation, "Green Unity",
            "from the party membership"
        );
        assert_eq!(reps[1].address, "1 Hill Road, Tarn");
    }

    #[test]
    fn dangling_references_are_named_where_they_are() {
        let bad = POPOLO
            .replace(
                r#""person_id": "p2", "organization_id": "leg""#,
                r#""person_id": "p9", "organization_id": "leg""#,
            )
            .replace(
                r#""area_id": "ocd/tarn"}]"#,
                r#""area_id": "ocd/nowhere"}]"#,
            );
        let errs = read_popolo(bad.as_bytes(), "2026-12-07").unwrap_err();
        assert!(
            errs.contains(&problem(
                "memberships",
                2,
                "person_id",
                "rep-error-dangling"
            )),
            "{errs:?}"
        );
        assert!(
            errs.contains(&problem("posts", 1, "area_id", "rep-error-dangling")),
            "{errs:?}"
        );
        assert_eq!(
            read_popolo(b"{\"persons\": [", "2026-12-07").unwrap_err()[0].key,
            "rep-error-json"
        );
        assert_eq!(
            read_popolo(b"{\"persons\": 3}", "2026-12-07").unwrap_err()[0].key,
            "rep-error-popolo-shape"
        );
        assert_eq!(
            read_popolo(b"{}", "2026-12-07").unwrap_err()[0].key,
            "rep-error-none"
        );
    }

    #[test]
    fn csv_rows_with_their_problems() {
        let ok = "Name,Role,Party,Area,Email,Phone,Community\nElder Hamid,Elder,,VL-01-02,,+255700000009,yes\nR. Sule,Member,Unity,Tarn,r@example.org,,\n";
        let reps = read_csv(ok.as_bytes()).unwrap();
        assert_eq!(reps.len(), 2);
        assert!(reps[0].community);
        assert_eq!(reps[0].area, vec!["VL-01-02"]);
        assert_eq!(reps[1].organisation, "Unity");
        let bad = "name,area\nA,\n,VL-01\n";
        let errs = read_csv(bad.as_bytes()).unwrap_err();
        assert_eq!(
            errs,
            vec![
                problem("csv", 2, "area", "rep-error-no-area"),
                problem("csv", 3, "name", "rep-error-no-name")
            ]
        );
        assert_eq!(read_csv(b"name,role\nA,B\n").unwrap_err()[0].column, "area");
        assert_eq!(
            read_csv(b"name,area\n\xff,x\n").unwrap_err()[0].key,
            "rep-error-encoding"
        );
    }
}
