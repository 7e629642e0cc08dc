/// Checks the names a scenario reads: each must be bound before it is read
/// (in main, in order, as Python would run it), a task's parameter or local,
/// or — from a task, read when the task runs — a variable of main.
///
/// One walk for every operation: each says what it reads, what it binds and
/// the bodies it contains (`Operation.reads`, `binds`, `bodies`).
struct ScopeChecker {
    let reader: NodeReader

    func check(_ scenario: Scenario) {
        // Parameters are names from the start, for main and every task.
        let parameters = Set(scenario.params.map(\.name))
        let globals = Self.bound(by: scenario.main).union(parameters)
        var scope = parameters
        check(scenario.main, scope: &scope, globals: [], where: "main")
        for task in scenario.tasks.values {
            var local = Set(task.params)
            if let label = task.label {
                for name in label.names where !local.contains(name) {
                    reader.error(task.location, "task '\(task.name)': its label reads '\(name)', which is not a parameter")
                }
            }
            check(task.steps, scope: &local, globals: globals, where: "task '\(task.name)'")
        }
    }

    /// Every name a list of steps binds, at any depth (a body's own names too).
    static func bound(by steps: [Step]) -> Set<String> {
        var names = Set<String>()
        for step in steps {
            let operation = step.operation
            names.formUnion(operation.binds)
            for body in operation.bodies {
                names.formUnion(body.provides)
                names.formUnion(bound(by: body.steps))
            }
        }
        return names
    }

    private func check(_ steps: [Step], scope: inout Set<String>, globals: Set<String>, where place: String) {
        let laterInMain = globals.isEmpty ? Self.bound(by: steps) : []
        for step in steps {
            let operation = step.operation
            for name in Set(operation.reads).sorted() where !scope.contains(name) && !globals.contains(name) {
                if laterInMain.contains(name) {
                    reader.error(step.location, "\(place): '\(name)' is used before it exists (it is bound by a later step)")
                } else {
                    reader.error(step.location, "\(place): '\(name)' is not defined")
                }
            }
            var branches = Set<String>()
            for body in operation.bodies {
                if body.isBranch {
                    var inner = scope.union(body.provides)
                    check(body.steps, scope: &inner, globals: globals, where: place)
                    branches.formUnion(inner)
                } else {
                    scope.formUnion(body.provides)
                    check(body.steps, scope: &scope, globals: globals, where: place)
                }
            }
            scope.formUnion(branches)
            scope.formUnion(operation.binds)
        }
    }
}
