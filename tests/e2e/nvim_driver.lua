-- Drives Neovim's own LSP client against the stepcat server on a fixture workspace and writes
-- what happened as JSON. Runs on Neovim 0.7 and later, after a README configuration.
--   STEPCAT_E2E_WS   the workspace (a copy of the fixtures)
--   STEPCAT_E2E_OUT  where the JSON goes
local WS = assert(os.getenv("STEPCAT_E2E_WS"))
local OUT = assert(os.getenv("STEPCAT_E2E_OUT"))
local TIMEOUT = tonumber(os.getenv("STEPCAT_E2E_TIMEOUT_MS") or "60000")

local results = { nvim = tostring(vim.version().major) .. "." .. tostring(vim.version().minor), steps = {} }

local function clients_of(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = "stepcat" })
  end
  local found = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == "stepcat" then
      table.insert(found, client)
    end
  end
  return found
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 50) then
    error("timed out after " .. TIMEOUT .. " ms waiting for " .. what)
  end
end

local function step(name)
  table.insert(results.steps, name)
end

-- Opens a workspace file and waits until the stepcat client is attached and initialized.
local function open(relative)
  vim.cmd("edit " .. vim.fn.fnameescape(WS .. "/" .. relative))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for("the stepcat client on " .. relative, function()
    local clients = clients_of(bufnr)
    return #clients > 0 and clients[1].initialized == true
  end)
  return bufnr
end

local function relative(path)
  return (path:gsub("^" .. vim.pesc(WS) .. "/", ""))
end

local function where(win)
  return {
    file = relative(vim.api.nvim_buf_get_name(vim.api.nvim_win_get_buf(win))),
    line = vim.api.nvim_win_get_cursor(win)[1],
  }
end

local function definition()
  step("definition")
  local dag = open("pipelines/training_dag.py")
  results.root_dir = clients_of(dag)[1].config.root_dir
  -- line 6 is dag.add_node("CradleDataLoading_training"): put the cursor inside the name
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_cursor(win, { 6, 20 })
  results.definition_origin = vim.fn.expand("<cword>")

  -- The server's answer, in its order.
  local params = vim.lsp.util.make_position_params()
  local answers = vim.lsp.buf_request_sync(dag, "textDocument/definition", params, TIMEOUT)
  local raw = {}
  for _, answer in pairs(answers or {}) do
    for _, link in ipairs(answer.result or {}) do
      local range = link.targetSelectionRange or link.range
      table.insert(raw, { file = relative(vim.uri_to_fname(link.targetUri or link.uri)), line = range.start.line + 1 })
    end
  end
  results.definition_answer = raw

  -- What Neovim's own handler does with it (`gd` in the README's configuration).
  vim.fn.setqflist({}, "r")
  vim.lsp.buf.definition()
  wait_for("the definition locations in the quickfix list", function()
    return #vim.fn.getqflist() > 0
  end)
  results.definition_after_handler = where(win)
  local quickfix, spec_index = {}, nil
  for i, item in ipairs(vim.fn.getqflist()) do
    local file = relative(vim.api.nvim_buf_get_name(item.bufnr))
    table.insert(quickfix, { file = file, line = item.lnum })
    if file:match("_spec%.py$") then
      spec_index = spec_index or i
    end
  end
  results.definition_quickfix = quickfix
  -- Choosing the spec's entry lands on its line.
  vim.cmd("cc " .. tostring(spec_index or 1))
  local landed = where(vim.api.nvim_get_current_win())
  landed.text = vim.api.nvim_get_current_line()
  results.definition_landed = landed
  vim.cmd("cclose")
end

local function diagnostics()
  step("diagnostics")
  local config = open("pipeline_configs/class_name_keys.json")
  local function class_name_keys()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(config)) do
      if d.code == "config-key-is-class-name" then
        table.insert(found, d)
      end
    end
    return found
  end
  wait_for("config-key-is-class-name diagnostics", function()
    return #class_name_keys() >= 4
  end)
  local found = {}
  for _, d in ipairs(class_name_keys()) do
    table.insert(found, {
      line = d.lnum + 1,
      col = d.col + 1,
      severity = vim.diagnostic.severity[d.severity],
      code = d.code,
      source = d.source,
      message = d.message,
    })
  end
  table.sort(found, function(a, b)
    return a.line < b.line
  end)
  results.diagnostics = found
end

local function completion()
  step("completion")
  local dag = open("pipelines/training_dag.py")
  -- Type a new node: the cursor ends after the "_" that triggers completion.
  local typed = 'dag.add_node("CradleDataLoading_'
  local last = vim.api.nvim_buf_line_count(dag)
  vim.api.nvim_buf_set_lines(dag, last, last, false, { typed .. '")' })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(dag) },
    position = { line = last, character = #typed },
    context = { triggerKind = 2, triggerCharacter = "_" },
  }
  local labels, edit
  wait_for("completion items", function()
    local answers = vim.lsp.buf_request_sync(dag, "textDocument/completion", params, TIMEOUT)
    for _, answer in pairs(answers or {}) do
      local items = answer.result and (answer.result.items or answer.result) or {}
      if #items > 0 then
        table.sort(items, function(a, b)
          return (a.sortText or a.label) < (b.sortText or b.label)
        end)
        labels = {}
        for _, item in ipairs(items) do
          table.insert(labels, item.label)
        end
        edit = items[1].textEdit
        return true
      end
    end
    return false
  end)
  results.completion_line = last
  results.completion_labels = labels
  results.completion_first_edit = edit
end

-- The README configurations ask for code lenses: they appear over the registry's entries.
local function codelens()
  step("codelens")
  local registry = open("src/pipelines/registry/step_names.py")
  local line = vim.fn.search('"CradleDataLoading": {', "nw") -- 1-based
  local titles = {}
  wait_for("code lenses on the registry", function()
    titles = {}
    for _, lens in ipairs(vim.lsp.codelens.get(registry)) do
      if lens.range.start.line == line - 1 and lens.command then
        table.insert(titles, lens.command.title)
      end
    end
    return #titles > 0
  end)
  results.codelens_line = line
  results.codelens_titles = titles
end

-- Upstream and downstream of a DAG node: call hierarchy (what :lua vim.lsp.buf.incoming_calls()
-- lists), asked directly so every version answers the same way.
local function hierarchy()
  step("hierarchy")
  local dag = open("pipelines/training_dag.py")
  local line = vim.fn.search('"XGBoostTraining"', "nw") -- 1-based
  local params = { textDocument = { uri = vim.uri_from_bufnr(dag) }, position = { line = line - 1, character = 16 } }
  local answers = vim.lsp.buf_request_sync(dag, "textDocument/prepareCallHierarchy", params, TIMEOUT)
  local item
  for _, answer in pairs(answers or {}) do
    item = item or (answer.result or {})[1]
  end
  assert(item, "no call hierarchy item on XGBoostTraining")
  local names = { item = item.name, incoming = {}, outgoing = {} }
  for method, key in pairs({ ["callHierarchy/incomingCalls"] = "incoming", ["callHierarchy/outgoingCalls"] = "outgoing" }) do
    local calls = vim.lsp.buf_request_sync(dag, method, { item = item }, TIMEOUT)
    for _, answer in pairs(calls or {}) do
      for _, call in ipairs(answer.result or {}) do
        table.insert(names[key], (call.from or call.to).name)
      end
    end
  end
  results.hierarchy = names
end

-- Renames XGBoostTraining with Neovim's own handler (vim.lsp.buf.rename), then writes every
-- changed buffer: the files on disk are then what the rename made.
local function rename()
  step("rename")
  vim.o.hidden = true -- the rename loads, edits and renames buffers other than the current one
  local dag = vim.fn.bufnr(WS .. "/pipelines/training_dag.py")
  -- drop the line the completion step typed: the buffer is the file on disk again
  local last = vim.api.nvim_buf_line_count(dag)
  if vim.api.nvim_buf_get_lines(dag, last - 1, last, false)[1]:match("CradleDataLoading_") then
    vim.api.nvim_buf_set_lines(dag, last - 1, last, false, {})
  end
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, dag)
  local line = vim.fn.search('"XGBoostTraining"', "nw")
  vim.api.nvim_win_set_cursor(win, { line, 16 })
  vim.lsp.buf.rename("XgbTrain")
  wait_for("the rename in the DAG buffer", function()
    local text = table.concat(vim.api.nvim_buf_get_lines(dag, 0, -1, false), "\n")
    return text:find('"XgbTrain"', 1, true) ~= nil
  end)
  vim.cmd("silent! wall")
  results.renamed = true
end

local ok, err = xpcall(function()
  definition()
  diagnostics()
  completion()
  codelens()
  hierarchy()
  rename()
end, debug.traceback)
results.ok = ok
results.error = err
local file = assert(io.open(OUT, "w"))
file:write(vim.json.encode(results))
file:close()
vim.cmd("qa!")
