-- Drives the language server from Neovim's own LSP client (headless), as a Neovim user would:
-- attach to a Markdown buffer, wait for the index (ner/status), run
-- vim.lsp.buf.workspace_symbol('type: European river') into the quickfix list, hover over a
-- mention. Written for Neovim 0.7+ (vim.lsp.start_client). Started by test/lsp/lsp-neovim.test.ts,
-- which passes the paths in the environment and reads the JSON this writes to NER_OUT.
local env = function(name) return assert(os.getenv(name), name .. ' not set') end
local out = { statuses = 0 }
local function finish(err)
  out.error = err
  local f = assert(io.open(env('NER_OUT'), 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local root = env('NER_ROOT')
  local quiescent = false
  local client_id = vim.lsp.start_client({
    name = 'ner-retriever',
    cmd = vim.split(env('NER_SERVER_CMD'), '\t'),
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'notes' } },
    init_options = { storagePath = env('NER_STORAGE'), cacheDir = env('NER_CACHE') },
    handlers = {
      ['ner/status'] = function(_, status)
        out.statuses = out.statuses + 1
        out.lastStatus = status
        if status.quiescent then quiescent = true end
      end,
    },
  })
  assert(client_id, 'the client did not start')
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/rivers.md'))
  local rivers = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(rivers, client_id)
  assert(vim.wait(60000, function() return quiescent end, 50), 'no quiescent ner/status within 60 s')

  -- The README's type search: the symbols go to the quickfix list.
  vim.lsp.buf.workspace_symbol('type: European river')
  assert(vim.wait(30000, function() return #vim.fn.getqflist() > 0 end, 50), 'no quickfix items')
  out.quickfix = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    table.insert(out.quickfix, { file = vim.fn.bufname(item.bufnr), lnum = item.lnum, col = item.col, text = item.text })
  end

  -- Hover over the Danube of the prose (the front matter's is no mention), back in its buffer (the
  -- quickfix window took the focus).
  vim.cmd('cclose')
  vim.api.nvim_set_current_buf(rivers)
  local line = vim.fn.search('Danube, by contrast', 'w')
  local col = vim.fn.col('.') - 1
  local params = { textDocument = { uri = vim.uri_from_bufnr(rivers) }, position = { line = line - 1, character = col + 2 } }
  local responses = vim.lsp.buf_request_sync(rivers, 'textDocument/hover', params, 30000)
  out.hover = responses and responses[client_id] and responses[client_id].result or vim.NIL

  vim.lsp.get_client_by_id(client_id).stop()
end)
finish(ok and vim.NIL or tostring(err))
