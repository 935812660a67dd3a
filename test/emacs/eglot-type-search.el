;;; eglot-type-search.el --- drive the language server from Emacs's Eglot, in batch  -*- lexical-binding: t -*-
;; Started by test/lsp/lsp-emacs.test.ts with the paths in the environment; writes what it saw as
;; JSON to NER_OUT: the symbols `xref-find-apropos' gets for "type: European river" (Eglot sends
;; workspace/symbol), and the hover over a mention. Written for Emacs 28 with Debian's elpa-eglot.
(require 'package)
;; Debian's elpa-* packages (run with -Q, so its site start-up files did not add them).
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'json)

(defvar ner-quiescent nil)
(defvar ner-statuses 0)
(cl-defmethod eglot-handle-notification (_server (_method (eql ner/status)) &rest params)
  (setq ner-statuses (1+ ner-statuses))
  (when (eq (plist-get params :quiescent) t) (setq ner-quiescent t)))

(defun ner-env (name) (or (getenv name) (error "%s not set" name)))

(defun ner-finish (result)
  (with-temp-file (ner-env "NER_OUT") (insert (json-encode result)))
  (kill-emacs 0))

(condition-case err
    (let* ((root (file-name-as-directory (ner-env "NER_ROOT")))
           (contact (append (split-string (ner-env "NER_SERVER_CMD") "\t")
                            (list :initializationOptions
                                  (list :storagePath (ner-env "NER_STORAGE") :cacheDir (ner-env "NER_CACHE")))))
           (deadline (+ (float-time) 60)))
      ;; The notes folder is the project, VC or not.
      (add-hook 'project-find-functions (lambda (_dir) (cons 'transient root)))
      (find-file (expand-file-name "rivers.md" root))
      (text-mode)
      (eglot '(text-mode) (project-current) 'eglot-lsp-server contact "markdown")
      (while (and (not ner-quiescent) (< (float-time) deadline)) (accept-process-output nil 0.05))
      (unless ner-quiescent (error "no quiescent ner/status within 60 s"))
      ;; What M-x xref-find-apropos RET type: European river RET lists.
      (let* ((xrefs (xref-backend-apropos 'eglot "type: European river"))
             (items (mapcar (lambda (x)
                              (let ((loc (xref-item-location x)))
                                (list :summary (xref-item-summary x)
                                      :file (xref-file-location-file loc)
                                      :line (xref-file-location-line loc)
                                      :column (xref-file-location-column loc))))
                            xrefs))
             (hover (progn
                      (goto-char (point-min))
                      (search-forward "Danube, by contrast")
                      (goto-char (+ (match-beginning 0) 2))
                      (jsonrpc-request (eglot-current-server) :textDocument/hover
                                       (eglot--TextDocumentPositionParams)))))
        (ner-finish (list :error nil :statuses ner-statuses :symbols (vconcat items)
                          :hover (plist-get (plist-get hover :contents) :value)))))
  (error (ner-finish (list :error (format "%S" err) :statuses ner-statuses))))
