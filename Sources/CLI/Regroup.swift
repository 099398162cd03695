import ArgumentParser

@main
struct Regroup: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "regroup",
    abstract: "Plan tomorrow's flexible groups, intervention slots and teacher time.",
    discussion: """
      EXIT STATUS
        0   a plan (or report) was printed
        1   bad input: the files, their values or references; messages on stderr
        2   no plan: the day is infeasible, or the time limit ran out before any plan
        64  a malformed command line
      """,
    version: "0.1.0",
    subcommands: [
      Plan.self, Check.self, Status.self, Generate.self, Import.self, RequestCommand.self,
      HistoryCommand.self, PublishCommand.self, Export.self, Simulate.self, Serve.self,
      AccessCommand.self, AbsenceCommand.self,
    ])
}
