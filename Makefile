# Disclosure-coaching assistant. `make run` and `make test` set up whatever is
# missing (two Python 3.10 environments, the database, a trained model) first.

SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_VENV  := .venv
RASA_VENV := .venv-rasa
BOT       := $(APP_VENV)/bin/bot
PYTHON    := $(APP_VENV)/bin/python
RASA      := $(RASA_VENV)/bin/rasa
MODEL     := models/disclosure.tar.gz
DOMAIN    := domain.yml
DATA      := config.yml $(DOMAIN) $(shell find domain data -name '*.yml' 2>/dev/null)

# Rasa must never phone home, and TensorFlow's start-up chatter hides real errors.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run run-prod prod-packages apt-prod shell train test training-lane checks unit rasa-unit rasa-test nlu-cv pg-test validate lint format bench profile lock clean

help:
	@echo "make run    - set up what is missing and start the website and the assistant"
	@echo "make test   - set up what is missing and run every test"
	@echo "make run-prod REPLICAS=2 - the production shape (PostgreSQL, Redis, HAProxy)"
	@echo "make shell  - chat with the assistant in this terminal (needs 'make run' elsewhere)"
	@echo "make train  - retrain the model if the training data changed"
	@echo "make bench  - benchmarks: the website's speed and capacity, both shapes"
	@echo "make profile - where a turn's time goes, early and late in a long session"
	@echo "make lint   - ruff"
	@echo "make clean  - remove environments, models, databases and results"

# --- environments -----------------------------------------------------------
$(APP_VENV)/.done: requirements/app.lock pyproject.toml
	@py=$$(scripts/find-python.sh) && rm -rf $(APP_VENV) && "$$py" -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install -q --upgrade "pip>=24"
	$(APP_VENV)/bin/pip install -q -r requirements/app.lock
	$(APP_VENV)/bin/pip install -q --no-deps -e .
	@touch $@

$(RASA_VENV)/.done: requirements/rasa.lock
	@py=$$(scripts/find-python.sh) && rm -rf $(RASA_VENV) && "$$py" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --upgrade "pip>=24"
	$(RASA_VENV)/bin/pip install -q -r requirements/rasa.lock
	@touch $@

setup: $(APP_VENV)/.done $(RASA_VENV)/.done
	@mkdir -p var results
	@$(BOT) db upgrade

# --- the browsers for the page tests (Debian's Chromium and Firefox ESR;
# Playwright's own downloads do not work here) -----------------------------------------------------------
CHROMIUM := /usr/bin/chromium
FIREFOX  := /usr/bin/firefox-esr
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM) $(FIREFOX):
	@echo "Installing Debian's chromium and firefox-esr for the browser tests..."
	$(SUDO) apt-get install -y -q chromium firefox-esr || \
	  ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium firefox-esr)

# --- the production shape's parts (Debian's HAProxy, Redis and PostgreSQL), for
# `make run-prod`, the chaos tests and the benchmark ------------------------------
HAPROXY := /usr/sbin/haproxy
REDIS   := /usr/bin/redis-server
prod-packages: $(HAPROXY) $(REDIS)
	@ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-prod
$(HAPROXY) $(REDIS):
	@$(MAKE) --no-print-directory apt-prod
apt-prod:
	@echo "Installing Debian's haproxy, redis-server and postgresql..."
	$(SUDO) apt-get install -y -q haproxy redis-server postgresql || \
	  ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q haproxy redis-server postgresql)

# --- model ------------------------------------------------------------------
# Rasa retrains only when the configuration, domain or training data changed.
$(MODEL): $(DATA) | $(RASA_VENV)/.done
	$(RASA) train --domain $(DOMAIN) --fixed-model-name disclosure --out models

train: $(MODEL)

# --- running ----------------------------------------------------------------
run: setup $(MODEL)
	@$(BOT) up --demo

# The production shape on this machine: PostgreSQL, Redis, REPLICAS Rasa servers,
# as many action servers and web processes, behind HAProxy. It starts its own
# PostgreSQL and Redis unless DATABASE_URL and REDIS_URL name servers.
REPLICAS ?= 2
run-prod: setup $(MODEL) prod-packages
	@$(BOT) up --demo --prod --replicas $(REPLICAS) --action-servers $(REPLICAS) \
	  --web-processes $(REPLICAS)

shell: $(APP_VENV)/.done
	@$(BOT) shell $(if $(ID),--conversation $(ID))

# --- checks -----------------------------------------------------------------
lint: $(APP_VENV)/.done
	$(APP_VENV)/bin/ruff check .
	$(APP_VENV)/bin/ruff format --check .
	$(APP_VENV)/bin/mypy

format: $(APP_VENV)/.done
	$(APP_VENV)/bin/ruff format .
	$(APP_VENV)/bin/ruff check --fix .

validate: $(RASA_VENV)/.done $(APP_VENV)/.done
	$(PYTHON) scripts/validate_data.py $(RASA)

unit: setup
	$(APP_VENV)/bin/pytest -q tests -m "not e2e"

rasa-test: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests --fail-on-prediction-errors --out results/core
	@echo "Rasa test stories: all predictions correct (results/core)."

# The tests of rasa_addons/ (our channel, tracker store and lock store), which
# run inside the Rasa environment.
rasa-unit: $(MODEL) $(RASA_VENV)/.done $(APP_VENV)/.done prod-packages
	$(RASA_VENV)/bin/python -m pytest -q -p no:cacheprovider rasa_addons/tests

# 3-fold NLU cross-validation with a fixed split (scripts/nlu_cv.py seeds the
# shuffle; training is seeded in config.yml), so the figure repeats run to run.
NLU_MIN_F1 ?= 0.90
nlu-cv: $(RASA_VENV)/.done $(APP_VENV)/.done
	PYTHONPATH=. $(RASA_VENV)/bin/python scripts/nlu_cv.py --out results/nlu-cv
	$(PYTHON) scripts/nlu_report.py results/nlu-cv/intent_report.json --min-f1 $(NLU_MIN_F1)

# The storage and action suites again, on a real PostgreSQL server.
pg-test: setup
	scripts/with-postgres.sh $(APP_VENV)/bin/pytest -q -p no:cacheprovider \
	  tests/store/test_store.py tests/test_cli.py tests/review/test_review.py \
	  tests/actions/test_actions_session.py tests/actions/test_actions_form.py \
	  tests/actions/test_actions_statement.py tests/actions/test_actions_coaching.py \
	  tests/actions/test_actions_practice.py tests/actions/test_actions_review.py \
	  tests/web/test_web_api.py tests/web/test_staff_routes.py tests/web/test_model_server.py \
	  tests/training/test_training_pages.py tests/training/test_training_questions.py \
	  tests/training/test_training_jobs.py::test_only_one_job_is_active_at_a_time \
	  tests/training/test_training_jobs.py::test_a_job_whose_process_stopped_beating_fails_and_frees_the_slot

# Two lanes, for CI's two cores. One is CPU-bound training: the NLU
# cross-validation (about 12 minutes of one core), then the trainers' whole loop
# in Chromium (tests/training/test_training_browser.py: a check trains and tests a model,
# about 7 minutes). The other is every other check, which mostly waits on
# servers. Side by side they end within a few minutes of each other (one lane
# alone: over 35 minutes; see the README). Each lane's output is printed whole
# when it ends.
TRAINER_LOOP := tests/training/test_training_browser.py
test: setup $(MODEL) $(CHROMIUM) $(FIREFOX) prod-packages
	@$(MAKE) --no-print-directory -j2 --output-sync=target training-lane checks

training-lane: nlu-cv
	$(APP_VENV)/bin/pytest -q -p no:cacheprovider $(TRAINER_LOOP)

checks: lint validate rasa-test rasa-unit pg-test
	$(APP_VENV)/bin/pytest -q --durations=12 tests --ignore=$(TRAINER_LOOP)

bench: setup $(MODEL) prod-packages
	$(PYTHON) bench/bench_coaching.py
	$(PYTHON) bench/bench_conversations.py

# Where a turn's time goes, early and late in a long session (README).
profile: setup $(MODEL)
	$(RASA_VENV)/bin/python bench/profile_turn.py

# --- maintenance --------------------------------------------------------------
lock:
	@py=$$(scripts/find-python.sh); tmp=$$(mktemp -d); \
	  "$$py" -m venv $$tmp/rasa && $$tmp/rasa/bin/pip install -q -r requirements/rasa.in && \
	  $$tmp/rasa/bin/pip freeze > requirements/rasa.lock && \
	  "$$py" -m venv $$tmp/app && $$tmp/app/bin/pip install -q -r requirements/app.in && \
	  $$tmp/app/bin/pip freeze > requirements/app.lock; rm -rf $$tmp

clean:
	rm -rf $(APP_VENV) $(RASA_VENV) models var results .rasa .pytest_cache .ruff_cache
