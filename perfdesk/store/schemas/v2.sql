-- perfdesk .pdesk file format, schema version 2 (as released; never edit).
-- PRAGMA application_id = 1346655051 (b"PDSK"); PRAGMA user_version = 2.
-- Decimals (weights, scores, rates) are TEXT of the exact Decimal; money is INTEGER 分.
-- New in version 2: document.rule_set, evaluation.rule_set and project_code, indicator.comparison,
-- unit, initial_target and adjust_reason (migration 1 → 2 in perfdesk/store/migrations.py).

CREATE TABLE document (
	id INTEGER NOT NULL,
	year INTEGER NOT NULL,
	final BOOLEAN NOT NULL,
	unit_name TEXT NOT NULL,
	unit_code TEXT NOT NULL,
	unit_supervisor TEXT NOT NULL,
	unit_functions TEXT NOT NULL,
	unit_organisation TEXT NOT NULL,
	unit_leader TEXT NOT NULL,
	unit_finance_leader TEXT NOT NULL,
	unit_preparer TEXT NOT NULL,
	unit_phone TEXT NOT NULL,
	rule_set TEXT NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE evaluation (
	id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	template TEXT NOT NULL,
	layout TEXT NOT NULL,
	rule_set TEXT NOT NULL,
	execution_rounding TEXT NOT NULL,
	has_execution BOOLEAN NOT NULL,
	execution_weight TEXT,
	execution_stated_rate TEXT,
	execution_stated_score TEXT,
	goals_expected TEXT NOT NULL,
	goals_achieved TEXT NOT NULL,
	project_supervisor TEXT NOT NULL,
	project_supervisor_code TEXT NOT NULL,
	project_implementer TEXT NOT NULL,
	project_attribute TEXT NOT NULL,
	project_period TEXT NOT NULL,
	project_code TEXT NOT NULL,
	stated_total TEXT,
	stated_grade TEXT,
	PRIMARY KEY (id),
	CONSTRAINT uq_evaluation_position UNIQUE (position)
);

CREATE TABLE meta (
	"key" TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY ("key")
);

CREATE TABLE budget_amounts (
	id INTEGER NOT NULL,
	evaluation_id INTEGER NOT NULL,
	part TEXT NOT NULL,
	position INTEGER NOT NULL,
	"key" TEXT NOT NULL,
	name TEXT NOT NULL,
	initial_budget INTEGER,
	annual_budget INTEGER,
	spent INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(evaluation_id) REFERENCES evaluation (id)
);
CREATE INDEX ix_budget_amounts_evaluation ON budget_amounts (evaluation_id);

CREATE TABLE evaluator (
	id INTEGER NOT NULL,
	evaluation_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	title TEXT NOT NULL,
	department TEXT NOT NULL,
	phone TEXT NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(evaluation_id) REFERENCES evaluation (id)
);
CREATE INDEX ix_evaluator_evaluation ON evaluator (evaluation_id);

CREATE TABLE indicator (
	id INTEGER NOT NULL,
	evaluation_id INTEGER NOT NULL,
	parent_id INTEGER,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	weight TEXT,
	target TEXT NOT NULL,
	comparison TEXT NOT NULL,
	unit TEXT NOT NULL,
	initial_target TEXT NOT NULL,
	adjust_reason TEXT NOT NULL,
	actual TEXT NOT NULL,
	method TEXT NOT NULL,
	tier TEXT,
	score_override TEXT,
	rule_text TEXT NOT NULL,
	deviation_note TEXT NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(evaluation_id) REFERENCES evaluation (id),
	FOREIGN KEY(parent_id) REFERENCES indicator (id)
);
CREATE INDEX ix_indicator_evaluation ON indicator (evaluation_id);

CREATE TABLE narrative (
	evaluation_id INTEGER NOT NULL,
	"key" TEXT NOT NULL,
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (evaluation_id, "key"),
	FOREIGN KEY(evaluation_id) REFERENCES evaluation (id)
);

CREATE TABLE target_row (
	id INTEGER NOT NULL,
	evaluation_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	level1 TEXT NOT NULL,
	level2 TEXT NOT NULL,
	name TEXT NOT NULL,
	target TEXT NOT NULL,
	actual TEXT NOT NULL,
	stated_progress TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(evaluation_id) REFERENCES evaluation (id)
);
CREATE INDEX ix_target_row_evaluation ON target_row (evaluation_id);
