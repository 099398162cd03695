import LearnerStatus

extension GeneratedSchool {
  /// The folder's files, in a fixed order.
  func render() -> [(name: String, contents: String)] {
    var out: [(name: String, contents: String)] = []
    out.append(("school.toml", schoolTOML()))

    var students = CSVText(
      header: ["student_id", "given_name", "family_name", "grade", "tier", "flags"],
      reserving: studentIDs.count * 40)
    for s in 0..<studentIDs.count {
      students.plain(studentIDs[s])
      students.cell(givenNames[s])
      students.cell(familyNames[s])
      students.int(studentGrade[s])
      if tierBlank[s] { students.empty() } else { students.int(tier[s]) }
      students.plain(flags[s])
      students.endRow()
    }
    out.append(("students.csv", students.text))

    var targets = CSVText(header: ["target_id", "subject", "title", "grade", "sequence"])
    for t in 0..<targetIDs.count {
      targets.plain(targetIDs[t])
      targets.plain(subjectNames[targetSubject[t]])
      targets.cell(targetTitle(t))
      targets.int(targetGrade[t])
      targets.int(targetSeq[t])
      targets.endRow()
    }
    out.append(("targets.csv", targets.text))

    var staff = CSVText(header: ["staff_id", "name", "subjects", "max_group_size", "max_minutes"])
    for k in 0..<staffIDs.count {
      staff.plain(staffIDs[k])
      staff.cell(staffNames[k])
      staff.plain(staffSubjectsText(k))
      staff.int(maxGroup[k])
      staff.int(maxMinutes[k])
      staff.endRow()
    }
    out.append(("staff.csv", staff.text))

    var blockText = CSVText(header: ["block_id", "start", "end", "subjects"])
    for b in blocks {
      blockText.row([b.id, Block.clock(b.start), Block.clock(b.end), b.subjectsText])
    }
    out.append(("blocks.csv", blockText.text))

    var evidence = CSVText(
      header: ["student_id", "target_id", "date", "level"], reserving: evStudent.count * 30)
    let targetBytes = targetIDs.map { Array($0.utf8) }
    for i in 0..<evStudent.count {
      evidence.plain(studentIDs[Int(evStudent[i])])
      evidence.raw(targetBytes[Int(evTarget[i])])
      evidence.raw(dayBytes[Int(evDay[i])])
      evidence.halfStep(Int(evHalves[i]))
      evidence.endRow()
    }
    out.append(("evidence.csv", evidence.text))

    var unavailableText = CSVText(header: ["staff_id", "block_id"])
    for row in unavailableRows { unavailableText.row([staffIDs[row.staff], blocks[row.block].id]) }
    out.append(("unavailable.csv", unavailableText.text))

    var historyText = CSVText(
      header: ["date", "block_id", "student_id", "staff_id", "target_id"],
      reserving: history.count * 40)
    for h in history {
      historyText.raw(dayBytes[h.day])
      historyText.plain(blocks[h.block].id)
      historyText.plain(studentIDs[h.student])
      historyText.plain(staffIDs[h.staff])
      historyText.raw(targetBytes[h.target])
      historyText.endRow()
    }
    out.append(("history.csv", historyText.text))

    var requestText = CSVText(
      header: ["request_id", "staff_id", "student_id", "block_id", "priority"])
    for (i, r) in requests.enumerated() {
      requestText.plain(requestID(i))
      requestText.plain(staffIDs[r.staff])
      requestText.plain(studentIDs[r.student])
      if let b = r.block { requestText.plain(blocks[b].id) } else { requestText.empty() }
      requestText.plain(r.priority.rawValue)
      requestText.endRow()
    }
    out.append(("requests.csv", requestText.text))

    var pinText = CSVText(header: ["student_id", "block_id", "staff_id"])
    for p in pins { pinText.row([studentIDs[p.student], blocks[p.block].id, staffIDs[p.staff]]) }
    out.append(("pins.csv", pinText.text))
    return out
  }

  func schoolTOML() -> String {
    """
    name = "\(name)"
    date = "\(date)"

    [status]
    method = "\(profile.method.rawValue)"

    """
  }

  func targetTitle(_ t: Int) -> String {
    "\(subjectNames[targetSubject[t]]) grade \(targetGrade[t]) target \(targetSeq[t])"
  }

  func staffSubjectsText(_ k: Int) -> String {
    if staffKind[k] == .teacher && staffMask[k] == allSubjects { return "*" }
    return subjectNames.indices.filter { staffMask[k] & (1 << $0) != 0 }.map { subjectNames[$0] }
      .joined(separator: ";")
  }

  func requestID(_ i: Int) -> String { "Q" + String(i + 1) }

  /// The school as values, with the lines the files give each record (no cell spans lines).
  func values() -> School {
    var policy = Policy()
    policy.name = name
    policy.date = date
    policy.method = profile.method
    var school = School(policy: policy)
    school.students = (0..<studentIDs.count).map { s in
      Student(
        id: studentIDs[s], givenName: givenNames[s], familyName: familyNames[s],
        grade: String(studentGrade[s]), tier: tier[s],
        flags: flags[s].isEmpty ? [] : flags[s].split(separator: ";").map(String.init),
        line: s + 2)
    }
    school.targets = (0..<targetIDs.count).map { t in
      Target(
        id: targetIDs[t], subject: subjectNames[targetSubject[t]], title: targetTitle(t),
        grade: String(targetGrade[t]), sequence: targetSeq[t], line: t + 2)
    }
    school.staff = (0..<staffIDs.count).map { k in
      StaffMember(
        id: staffIDs[k], name: staffNames[k], subjects: SubjectSet(cell: staffSubjectsText(k)),
        maxGroupSize: maxGroup[k], maxMinutes: maxMinutes[k], line: k + 2)
    }
    school.blocks = blocks.enumerated().map { i, b in
      Block(
        id: b.id, start: b.start, end: b.end, subjects: SubjectSet(cell: b.subjectsText),
        line: i + 2)
    }
    school.evidence = (0..<evStudent.count).map { i in
      Evidence(
        studentID: studentIDs[Int(evStudent[i])], targetID: targetIDs[Int(evTarget[i])],
        date: schoolDays[Int(evDay[i])], level: Double(evHalves[i]) / 2, line: i + 2)
    }
    school.unavailable = unavailableRows.enumerated().map { i, r in
      Unavailability(staffID: staffIDs[r.staff], blockID: blocks[r.block].id, line: i + 2)
    }
    school.history = history.enumerated().map { i, h in
      HistoryEntry(
        date: schoolDays[h.day], blockID: blocks[h.block].id, studentID: studentIDs[h.student],
        staffID: staffIDs[h.staff], targetID: targetIDs[h.target], line: i + 2)
    }
    school.requests = requests.enumerated().map { i, r in
      Request(
        id: requestID(i), staffID: staffIDs[r.staff], studentID: studentIDs[r.student],
        blockID: r.block.map { blocks[$0].id }, priority: Priority(rawValue: r.priority.rawValue)!,
        line: i + 2)
    }
    school.pins = pins.enumerated().map { i, p in
      Pin(
        studentID: studentIDs[p.student], blockID: blocks[p.block].id,
        staffID: staffIDs[p.staff], line: i + 2)
    }
    return school
  }
}
