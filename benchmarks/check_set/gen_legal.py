"""Private people tied to criminal or immigration matters, victims and witnesses, and rosters in other languages."""

from __future__ import annotations

from .common import Ctx, benign, csv_text, d, encodable_people, leak, register, save_openpyxl
from .docs import docx_table, html_page, html_table, new_docx, paragraphs, save_docx

CHARGES = ["8 USC 1326 illegal reentry", "Possession of a controlled substance", "Theft, third degree",
           "Driving while intoxicated", "Identity document fraud", "Assault, simple", "Trespass",
           "8 USC 1325 improper entry"]
CONVICTIONS = ["possession of marijuana (2009)", "burglary (2004)", "DWI (2012)", "shoplifting (2015)",
               "check fraud (2001)", "illegal reentry (2010)"]


@register
def criminal_cases(ctx: Ctx):
    ppl = ctx.people("docket1", 28)
    rnd = ctx.rng("docket1r")
    rows = [[f"2:22-cr-{rnd.randint(100, 999):04d}", f"{p.last.upper()}, {p.first}", rnd.choice(CHARGES),
             p.language, f"2022-07-{rnd.randint(1, 28):02d} 09:00"] for p in ppl]
    ctx.path("criminal_docket_week27.csv").write_text(
        csv_text(["Case No.", "Defendant", "Charge", "Interpreter", "Next setting"], rows), encoding="utf-8")
    yield leak("criminal_docket_week27.csv", "criminal_docket", 28, "docket: defendant, charge, interpreter language")

    ppl = ctx.people("docket2", 15)
    rows = [[f"CR-{1000 + i}", p.full, rnd.choice(CHARGES), f"Interpreter: {p.language}", "Courtroom 4B"]
            for i, p in enumerate(ppl)]
    ctx.path("court_calendar.html").write_text(html_page("Magistrate court calendar", html_table(
        ["Case", "Party", "Offense", "Notes", "Room"], rows)), encoding="utf-8")
    yield leak("court_calendar.html", "criminal_docket", 15, "HTML court calendar: parties, offences, interpreters")

    ppl = ctx.people("clem1", 18)
    rows = [[p.full, p.age(), p.city, rnd.choice(CONVICTIONS)] for p in ppl]
    ctx.path("clemency_grants.html").write_text(html_page(
        "Pardons granted", paragraphs(["The Governor granted clemency to the following individuals."])
        + html_table(["Name", "Age", "City", "Conviction"], rows)), encoding="utf-8")
    yield leak("clemency_grants.html", "clemency_list", 18, "clemency list: name, age, city, conviction")

    ppl = ctx.people("clem2", 10)
    text = "Clemency recommendations, June 2022\n\n" + "".join(
        f"{i + 1}. {p.full}, {p.age()}, of {p.city}, {p.state} - convicted of {rnd.choice(CONVICTIONS)}; "
        "faces removal proceedings.\n" for i, p in enumerate(ppl))
    ctx.path("clemency_recommendations.txt").write_text(text, encoding="utf-8")
    yield leak("clemency_recommendations.txt", "clemency_list", 10, "numbered clemency list in plain text")

    ppl = ctx.people("dep1", 22)
    items = "".join(f"<li>{p.full} ({p.nationality})</li>" for p in ppl)
    ctx.path("removal_flight_notice.html").write_text(html_page(
        "Removal flight completed",
        paragraphs(["A charter flight departed on 28 June 2022. The following persons were removed:"])
        + f"<ul>{items}</ul>"), encoding="utf-8")
    yield leak("removal_flight_notice.html", "deportation_page", 22, "web page naming deported people + nationality")

    ppl = ctx.people("dep2", 6)
    prose = [f"{p.full}, a {p.age()}-year-old citizen of {p.nationality}, was removed on "
             f"{d(p.arrived, '%B %d, %Y')} after an immigration judge denied the asylum claim." for p in ppl]
    ctx.path("removals_news.html").write_text(html_page("Recent removals", paragraphs(prose)), encoding="utf-8")
    yield leak("removals_news.html", "deportation_page", 6, "news-style sentences about removed individuals")

    ppl = ctx.people("app1", 30)
    ppl_sorted = sorted(ppl, key=lambda p: p.last)
    rows = [[f"{p.last.upper()}, {p.first}", f"IAD-{2022}-{300 + i:05d}", p.nationality,
             rnd.choice(["Appeal dismissed", "Appeal allowed", "Remitted"]), d(p.arrived)]
            for i, p in enumerate(ppl_sorted)]
    ctx.path("appeal_decisions_index.html").write_text(html_page(
        "Immigration appeal decisions - index by surname",
        html_table(["Appellant", "Decision no.", "Country", "Outcome", "Date"], rows)), encoding="utf-8")
    yield leak("appeal_decisions_index.html", "appeal_index", 30, "index of immigration appeal decisions by surname")

    ppl = sorted(ctx.people("app2", 20), key=lambda p: p.last)
    text = "".join(f"{p.last}, {p.first} v. Secretary of State ............ [2022] UKUT {100 + i} (IAC)\n"
                   for i, p in enumerate(ppl))
    ctx.path("asylum_appeals_by_name.txt").write_text("Index of reported asylum appeals\n\n" + text,
                                                      encoding="utf-8")
    yield leak("asylum_appeals_by_name.txt", "appeal_index", 20, "citation index of asylum appeals by appellant")

    # victims and witnesses
    import openpyxl

    ppl = ctx.people("traf1", 17)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Referrals"
    ws.append(["Name", "Age", "Country of origin", "Exploitation", "Shelter", "Referred by"])
    for p in ppl:
        ws.append([p.full, p.age(), p.nationality, rnd.choice(["labour", "sexual", "domestic servitude"]),
                   f"Shelter {rnd.randint(1, 9)}", "NGO outreach"])
    save_openpyxl(wb, ctx.path("trafficking_referrals.xlsx"))
    yield leak("trafficking_referrals.xlsx", "victims", 17, "trafficking victim referrals with exploitation type")

    ppl = ctx.people("traf2", 9)
    doc = new_docx()
    doc.add_heading("T-visa certification requests", 1)
    for p in ppl:
        doc.add_paragraph(f"{p.full} (born {d(p.dob)}, {p.nationality}) - victim of labour trafficking; "
                          "certification signed.", style="List Bullet")
    save_docx(doc, ctx.path("tvisa_certifications.docx"))
    yield leak("tvisa_certifications.docx", "victims", 9, "Word bullet list of trafficking victims")

    ppl = ctx.people("dv1", 14)
    rows = [[p.full, p.city, f"PO-{rnd.randint(10000, 99999)}", "domestic violence", "confidential address"]
            for p in ppl]
    ctx.path("protective_orders.csv").write_text(csv_text(["Petitioner", "City", "Order", "Type", "Address"], rows),
                                                 encoding="utf-8")
    yield leak("protective_orders.csv", "victims", 14, "domestic-violence protective-order petitioners")

    ppl = ctx.people("wit1", 8)
    doc = new_docx()
    doc.add_heading("United States v. Ortega-Ruiz: witness list (under seal)", 1)
    docx_table(doc, ["Witness", "Role", "Protection"], [[p.full, "cooperating witness", "relocated"] for p in ppl])
    save_docx(doc, ctx.path("witness_list.docx"))
    yield leak("witness_list.docx", "witnesses", 8, "sealed witness list (Word table)")

    ppl = encodable_people(ctx, "wit2", 5)
    text = "Informant register - restricted\n" + "".join(
        f"CI-{200 + i}: {p.full}, DOB {d(p.dob)}, handler unit 3, paid informant\n" for i, p in enumerate(ppl))
    ctx.path("informant_register.txt").write_text(text, encoding="utf-8")
    yield leak("informant_register.txt", "witnesses", 5, "informant register with DOB")


LANG_ROSTERS = {
    "es": ("solicitantes_asilo.xlsx", ["Nombre", "Apellidos", "Fecha de nacimiento", "Nacionalidad", "Situación"],
           "solicitante de asilo", "Listado de solicitantes de asilo en el centro de internamiento"),
    "fr": ("demandeurs_asile.csv", ["Prénom", "Nom", "Date de naissance", "Nationalité", "Statut"],
           "demandeur d'asile", "Liste des demandeurs d'asile retenus"),
    "pt": ("requerentes_asilo.docx", ["Nome", "Apelido", "Data de nascimento", "Nacionalidade", "Situação"],
           "requerente de asilo", "Lista de requerentes de asilo"),
    "de": ("asylbewerber_liste.html", ["Vorname", "Nachname", "Geburtsdatum", "Staatsangehörigkeit", "Status"],
           "Asylbewerber", "Liste der Asylbewerber in der Aufnahmeeinrichtung"),
    "it": ("richiedenti_asilo.html", ["Nome", "Cognome", "Data di nascita", "Nazionalità", "Stato"],
           "richiedente asilo", "Elenco dei richiedenti asilo nel centro di accoglienza"),
}


@register
def language_cases(ctx: Ctx):
    import openpyxl

    for lang, (name, header, status, title) in LANG_ROSTERS.items():
        ppl = ctx.people("lang" + lang, 20 + len(lang) + len(name) % 7)
        rows = [[p.first, p.last, d(p.dob, "%d/%m/%Y" if lang != "de" else "%d.%m.%Y"), p.nationality, status]
                for p in ppl]
        path = ctx.path(name)
        if name.endswith(".xlsx"):
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Listado"
            ws.append([title])
            ws.append(header)
            for r in rows:
                ws.append(r)
            save_openpyxl(wb, path)
        elif name.endswith(".csv"):
            path.write_text(csv_text(header, rows, ";"), encoding="utf-8")
        elif name.endswith(".docx"):
            doc = new_docx()
            doc.add_heading(title, 1)
            docx_table(doc, header, rows)
            save_docx(doc, path)
        else:
            path.write_text(html_page(title, html_table(header, rows), lang), encoding="utf-8")
        yield leak(name, f"lang_{lang}", len(ppl), f"{title} ({lang})")

    # second variant per language: prose sentences tying a named person to the claim
    prose = {
        "es": ("nota_interna_es.txt", "{n}, nacido el {b}, de nacionalidad {c}, presentó solicitud de asilo el {a}."),
        "fr": ("note_interne_fr.txt", "{n}, né(e) le {b}, de nationalité {c}, a déposé une demande d'asile le {a}."),
        "pt": ("nota_interna_pt.txt", "{n}, nascido em {b}, de nacionalidade {c}, é requerente de asilo desde {a}."),
        "de": ("vermerk_de.txt", "{n}, geboren am {b}, Staatsangehörigkeit {c}, stellte am {a} einen Asylantrag."),
        "it": ("nota_interna_it.txt", "{n}, nato il {b}, cittadinanza {c}, ha presentato domanda di asilo il {a}."),
    }
    for lang, (name, tpl) in prose.items():
        ppl = ctx.people("prose" + lang, 7)
        text = "\n".join(tpl.format(n=p.full, b=d(p.dob, "%d/%m/%Y"), c=p.nationality, a=d(p.arrived, "%d/%m/%Y"))
                         for p in ppl)
        ctx.path(name).write_text(text + "\n", encoding="utf-8")
        yield leak(name, f"lang_{lang}", 7, f"sentences naming asylum applicants ({lang})")

    # benign prose about asylum policy, capitalised ordinary words
    benign_prose = {
        "politica_asilo_it.html": ("it", "Politica di asilo nell'Unione", [
            "Mentre la Germania ha accolto più richiedenti asilo di ogni altro Stato membro, l'Italia ha registrato "
            "un aumento degli arrivi via mare.", "Secondo la Commissione, il Patto su migrazione e asilo renderà "
            "le procedure più rapide. Nel Mediterraneo Centrale gli sbarchi sono cresciuti del 40 per cento.",
            "Le Regioni del Sud chiedono più risorse per i Centri di Accoglienza Straordinaria."]),
        "politica_asilo_es.html": ("es", "Política de asilo", [
            "Sin embargo la Comisión Europea considera que el Sistema Europeo Común de Asilo necesita reformas.",
            "Durante el Año 2022 España recibió más solicitudes que nunca; Venezuela y Colombia encabezan la lista.",
            "Las Comunidades Autónomas gestionan la Acogida Humanitaria con fondos del Estado."]),
        "politique_asile_fr.html": ("fr", "La politique d'asile", [
            "Selon le Rapport annuel, la France a enregistré une hausse des demandes d'asile. Toutefois la Cour "
            "nationale du droit d'asile a réduit ses délais.", "Le Conseil d'État rappelle que l'Office français "
            "de protection des réfugiés et apatrides statue en toute indépendance.",
            "Les Préfectures de Région coordonnent l'Hébergement d'Urgence."]),
        "asylpolitik_de.html": ("de", "Asylpolitik im Überblick", [
            "Im Jahr 2022 stellten Menschen aus Syrien, Afghanistan und der Türkei die meisten Erstanträge.",
            "Das Bundesamt für Migration und Flüchtlinge entschied über mehr Anträge als im Vorjahr; Die Gesamt"
            "schutzquote lag bei 56 Prozent.", "Die Länder und Kommunen tragen die Kosten der Unterbringung."]),
        "politica_asilo_pt.html": ("pt", "Política de asilo em Portugal", [
            "Segundo o Relatório Anual, Portugal recebeu mais pedidos de Proteção Internacional em 2022.",
            "Contudo a Agência para a Integração, Migrações e Asilo ainda não publicou os Dados Definitivos.",
            "As Câmaras Municipais acolheram famílias vindas da Ucrânia e do Afeganistão."]),
    }
    for name, (lang, title, paras) in benign_prose.items():
        ctx.path(name).write_text(html_page(title, paragraphs(paras), lang), encoding="utf-8")
        yield benign(name, f"lang_{lang}", f"policy prose in {lang} with capitalised ordinary words")
