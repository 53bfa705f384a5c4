; perimeter benchmark query: no-public-access on principals-10 (principals)
; encoding: optimized (finite action domain with merged intervals, resources by ARN component, per-principal-kind case split)
; sat iff the property fails (the check would report FAIL)
(set-logic ALL)
(declare-datatypes ((PrincipalKind 0)) (((ANONYMOUS) (ACCOUNT_ROOT) (USER) (ROLE) (ROLE_SESSION) (FEDERATED_USER) (SERVICE) (WEB_IDENTITY) (CANONICAL_USER))))
(declare-fun public.action () Int)
(declare-fun public.principal.account () String)
(declare-fun public.principal.has_account () Bool)
(declare-fun public.principal.arn () String)
(declare-fun public.principal.has_arn () Bool)
(declare-fun public.principal.role_arn () String)
(declare-fun public.principal.has_role_arn () Bool)
(declare-fun public.resource_account () String)
(declare-fun public.has_resource_account () Bool)
(declare-fun public.principal.name () String)
(declare-fun public.principal.has_name () Bool)
(declare-fun public.resource.plain () String)
(declare-fun |public.resource.arn[5]| () String)
(declare-fun |public.resource.arn[4]| () String)
(declare-fun |public.resource.arn[3]| () String)
(declare-fun |public.resource.arn[2]| () String)
(declare-fun |public.resource.arn[1]| () String)
(declare-fun public.resource.is_arn () Bool)
(declare-fun public.resource () String)
(declare-fun public.principal.path () String)
(declare-fun public.principal.partition () String)
(declare-fun public.principal.text () String)
(declare-fun public.principal.kind () PrincipalKind)
(declare-fun public.principal.session () String)
(declare-fun public.principal.provider () String)
(assert (and (>= public.action 0) (< public.action 22779)))
(assert (=> (not public.principal.has_account) (= public.principal.account "")))
(assert (=> (not public.principal.has_arn) (= public.principal.arn "")))
(assert (=> (not public.principal.has_role_arn) (= public.principal.role_arn "")))
(assert (=> (not public.has_resource_account) (= public.resource_account "")))
(assert (=> (not public.principal.has_name) (= public.principal.name "")))
(assert (str.in_re public.principal.account
           (re.* (re.union (re.range "\u{0}" "9") (re.range ";" "\u{2ffff}")))))
(assert (= public.resource
   (ite public.resource.is_arn
        (str.++ "arn:"
                |public.resource.arn[1]|
                ":"
                |public.resource.arn[2]|
                ":"
                |public.resource.arn[3]|
                ":"
                |public.resource.arn[4]|
                ":"
                |public.resource.arn[5]|)
        public.resource.plain)))
(assert (let ((a!1 (str.in_re |public.resource.arn[1]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!2 (str.in_re |public.resource.arn[2]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!3 (str.in_re |public.resource.arn[3]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!4 (str.in_re |public.resource.arn[4]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}"))))))
  (=> public.resource.is_arn (and a!1 a!2 a!3 a!4))))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!3 (re.++ (re.++ a!2 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!4 (re.++ (re.++ a!3 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!5 (str.in_re public.resource.plain
                      (re.++ (re.++ a!4 (str.to_re ":")) (re.* re.allchar)))))
  (=> (not public.resource.is_arn) (not a!5))))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (str.in_re public.principal.path
                      (re.* (re.++ (re.+ a!3) (str.to_re "/"))))))
(let ((a!5 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                a!4
                (str.in_re public.principal.name (re.* a!3))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (= public.principal.arn
                   (str.++ "arn:aws:iam::"
                           public.principal.account
                           ":user/"
                           public.principal.path
                           public.principal.name))
                (not public.principal.has_role_arn))))
  (or (not (= public.principal.kind USER)) a!5)))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (str.in_re public.principal.path
                      (re.* (re.++ (re.+ a!3) (str.to_re "/"))))))
(let ((a!5 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                a!4
                (str.in_re public.principal.name (re.* a!3))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (= public.principal.arn
                   (str.++ "arn:aws:iam::"
                           public.principal.account
                           ":role/"
                           public.principal.path
                           public.principal.name))
                public.principal.has_role_arn
                (= public.principal.role_arn public.principal.arn))))
  (or (not (= public.principal.kind ROLE)) a!5)))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (str.in_re public.principal.name (re.* a!3))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (str.in_re public.principal.session (re.* a!3))
                (>= (str.len public.principal.session) 1)
                (<= (str.len public.principal.session) 64)
                public.principal.has_role_arn
                (= public.principal.arn
                   (str.++ "arn:aws:sts::"
                           public.principal.account
                           ":assumed-role/"
                           public.principal.name
                           "/"
                           public.principal.session))
                (= public.principal.role_arn
                   (str.++ "arn:aws:iam::"
                           public.principal.account
                           ":role/"
                           public.principal.name)))))
  (or (not (= public.principal.kind ROLE_SESSION)) a!4))))))
(assert (let ((a!1 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (not public.principal.has_role_arn)
                (not public.principal.has_name)
                (= public.principal.arn
                   (str.++ "arn:aws:iam::" public.principal.account ":root")))))
  (or (not (= public.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (= public.principal.text public.principal.arn)
                (= public.principal.partition "aws")
                (str.in_re public.principal.name (re.* a!3))
                (>= (str.len public.principal.name) 1)
                (<= (str.len public.principal.name) 64)
                (not public.principal.has_role_arn)
                (= public.principal.arn
                   (str.++ "arn:aws:sts::"
                           public.principal.account
                           ":federated-user/"
                           public.principal.name)))))
  (or (not (= public.principal.kind FEDERATED_USER)) a!4))))))
(assert (or (not (= public.principal.kind ANONYMOUS))
    (and (not public.principal.has_account)
         (not public.principal.has_arn)
         (not public.principal.has_role_arn)
         (not public.principal.has_name)
         (= public.principal.text "anonymous"))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                               (str.to_re "."))
                     (str.to_re "-"))))
(let ((a!2 (re.++ (re.++ (re.union (re.range "a" "z") (re.range "0" "9"))
                         (re.* a!1))
                  (str.to_re ".amazonaws.com"))))
  (or (not (= public.principal.kind SERVICE))
      (and (not public.principal.has_account)
           (not public.principal.has_arn)
           (not public.principal.has_role_arn)
           (str.in_re public.principal.text a!2)
           (= public.principal.name public.principal.text))))))
(assert (let ((a!1 (and public.principal.has_account
                (str.in_re public.principal.account (re.* (re.range "0" "9")))
                (= (str.len public.principal.account) 12)
                public.principal.has_arn
                (not public.principal.has_role_arn)
                (= public.principal.partition "aws")
                (not public.principal.has_name)
                (= public.principal.text public.principal.arn)
                (> (str.len public.principal.provider) 0)
                (or (= public.principal.arn
                       (str.++ "arn:aws:iam::"
                               public.principal.account
                               ":oidc-provider/"
                               public.principal.provider))
                    (= public.principal.arn
                       (str.++ "arn:aws:iam::"
                               public.principal.account
                               ":saml-provider/"
                               public.principal.provider))))))
  (or (not (= public.principal.kind WEB_IDENTITY))
      (and (not public.principal.has_account)
           (not public.principal.has_arn)
           (not public.principal.has_role_arn)
           (or (= public.principal.text "accounts.google.com")
               (= public.principal.text "cognito-identity.amazonaws.com")
               (= public.principal.text "graph.facebook.com")
               (= public.principal.text "www.amazon.com"))
           (= public.principal.name public.principal.text))
      a!1)))
(assert (let ((a!1 (str.in_re public.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= public.principal.kind CANONICAL_USER))
      (and (not public.principal.has_account)
           (not public.principal.has_arn)
           (not public.principal.has_role_arn)
           (not public.principal.has_name)
           a!1
           (= (str.len public.principal.text) 64)))))
(assert (let ((a!1 (and (str.in_re public.resource_account (re.* (re.range "0" "9")))
                (= (str.len public.resource_account) 12))))
  (or (not public.has_resource_account) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (str.to_re "0") (str.to_re "2"))
                               (str.to_re "3"))
                     (str.to_re "6")))
      (a!2 (re.union (re.union (re.union (str.to_re "0") (str.to_re "2"))
                               (str.to_re "3"))
                     (str.to_re "4")))
      (a!5 (re.union (re.union (re.union (str.to_re "0") (str.to_re "1"))
                               (str.to_re "2"))
                     (str.to_re "3")))
      (a!11 (re.union (re.union (re.union (str.to_re "0") (str.to_re "1"))
                                (str.to_re "3"))
                      (str.to_re "4")))
      (a!14 (re.union (re.union (re.union (str.to_re "1") (str.to_re "2"))
                                (str.to_re "3"))
                      (str.to_re "4")))
      (a!32 (re.union (re.union (re.union (str.to_re "0") (str.to_re "1"))
                                (str.to_re "2"))
                      (str.to_re "4")))
      (a!62 (re.union (re.union (re.union (str.to_re "1") (str.to_re "2"))
                                (str.to_re "3"))
                      (str.to_re "5"))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "5")) (str.to_re "6"))
                     (str.to_re "7")))
      (a!6 (re.union (re.union (re.union a!5 (str.to_re "4")) (str.to_re "5"))
                     (str.to_re "6")))
      (a!8 (re.union (re.union (re.union a!5 (str.to_re "4")) (str.to_re "5"))
                     (str.to_re "7")))
      (a!12 (re.union (re.union (re.union a!11 (str.to_re "5")) (str.to_re "6"))
                      (str.to_re "7")))
      (a!15 (re.union (re.union (re.union a!14 (str.to_re "5")) (str.to_re "6"))
                      (str.to_re "7")))
      (a!17 (re.union (re.union (re.union a!5 (str.to_re "4")) (str.to_re "6"))
                      (str.to_re "7")))
      (a!33 (re.union (re.union (re.union a!32 (str.to_re "5")) (str.to_re "6"))
                      (str.to_re "8")))
      (a!34 (re.union (re.union (re.union a!32 (str.to_re "5")) (str.to_re "6"))
                      (str.to_re "7")))
      (a!36 (re.union (re.union (re.union a!5 (str.to_re "5")) (str.to_re "6"))
                      (str.to_re "7")))
      (a!63 (re.union (re.union (re.union a!62 (str.to_re "6")) (str.to_re "7"))
                      (str.to_re "8")))
      (a!64 (re.union (re.union (re.union a!14 (str.to_re "5")) (str.to_re "6"))
                      (str.to_re "8"))))
(let ((a!4 (re.++ (re.union (re.union a!3 (str.to_re "8")) (str.to_re "9"))
                  (re.* (re.range "0" "9"))))
      (a!7 (re.++ (re.union (re.union a!6 (str.to_re "7")) (str.to_re "9"))
                  (re.* (re.range "0" "9"))))
      (a!9 (re.++ (re.union (re.union a!8 (str.to_re "8")) (str.to_re "9"))
                  (re.* (re.range "0" "9"))))
      (a!10 (re.++ (re.union (re.union a!6 (str.to_re "8")) (str.to_re "9"))
                   (re.* (re.range "0" "9"))))
      (a!13 (re.++ (re.union (re.union a!12 (str.to_re "8")) (str.to_re "9"))
                   (re.* (re.range "0" "9"))))
      (a!16 (re.++ (re.union (re.union a!15 (str.to_re "8")) (str.to_re "9"))
                   (re.* (re.range "0" "9"))))
      (a!18 (re.++ (re.union (re.union a!17 (str.to_re "8")) (str.to_re "9"))
                   (re.* (re.range "0" "9"))))
      (a!19 (re.union (re.union (re.union a!6 (str.to_re "7")) (str.to_re "8"))
                      (str.to_re "9")))
      (a!35 (re.++ (re.union (re.union a!34 (str.to_re "8")) (str.to_re "9"))
                   (re.* (re.range "0" "9"))))
      (a!37 (re.++ (re.union (re.union a!36 (str.to_re "8")) (str.to_re "9"))
                   (re.* (re.range "0" "9"))))
      (a!38 (re.++ (re.union (re.union a!6 (str.to_re "7")) (str.to_re "8"))
                   (re.* (re.range "0" "9")))))
(let ((a!20 (re.++ (str.to_re "5") (re.++ a!19 (re.* (re.range "0" "9")))))
      (a!39 (re.++ (str.to_re "4") (re.++ a!19 (re.* (re.range "0" "9")))))
      (a!50 (re.++ (str.to_re "0") (re.++ a!19 (re.* (re.range "0" "9")))))
      (a!65 (re.++ (str.to_re "3") (re.++ a!19 (re.* (re.range "0" "9")))))
      (a!75 (re.++ (str.to_re "1") (re.++ a!19 (re.* (re.range "0" "9"))))))
(let ((a!21 (re.union a!13
                      (re.++ (str.to_re "2")
                             (re.union (re.union a!18 a!20) (str.to_re "")))))
      (a!40 (re.union a!10
                      (re.++ (str.to_re "7")
                             (re.union (re.union a!37 a!39) (str.to_re "")))))
      (a!51 (re.union a!9
                      (re.++ (str.to_re "6")
                             (re.union (re.union a!16 a!50) (str.to_re "")))))
      (a!66 (re.union a!18
                      (re.++ (str.to_re "5")
                             (re.union (re.union a!35 a!65) (str.to_re "")))))
      (a!76 (re.union a!7
                      (re.++ (str.to_re "8")
                             (re.union (re.union a!4 a!75) (str.to_re "")))))
      (a!86 (re.union a!38
                      (re.++ (str.to_re "9")
                             (re.union (re.union a!35 a!65) (str.to_re "")))))
      (a!97 (re.union a!35
                      (re.++ (str.to_re "3")
                             (re.union (re.union a!4 a!75) (str.to_re "")))))
      (a!108 (re.union a!38
                       (re.++ (str.to_re "9")
                              (re.union (re.union a!16 a!50) (str.to_re "")))))
      (a!119 (re.union a!7
                       (re.++ (str.to_re "8")
                              (re.union (re.union a!37 a!39) (str.to_re "")))))
      (a!129 (re.union a!38
                       (re.++ (str.to_re "9")
                              (re.union (re.union a!37 a!39) (str.to_re ""))))))
(let ((a!22 (re.union a!18
                      (re.++ (str.to_re "5") (re.union a!21 (str.to_re "")))))
      (a!41 (re.union a!38
                      (re.++ (str.to_re "9") (re.union a!40 (str.to_re "")))))
      (a!52 (re.union a!4
                      (re.++ (str.to_re "1") (re.union a!51 (str.to_re "")))))
      (a!67 (re.union a!35
                      (re.++ (str.to_re "3") (re.union a!66 (str.to_re "")))))
      (a!77 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!76 (str.to_re "")))))
      (a!87 (re.union a!35
                      (re.++ (str.to_re "3") (re.union a!86 (str.to_re "")))))
      (a!98 (re.union a!37
                      (re.++ (str.to_re "4") (re.union a!97 (str.to_re "")))))
      (a!109 (re.union a!37
                       (re.++ (str.to_re "4") (re.union a!108 (str.to_re "")))))
      (a!120 (re.union a!7
                       (re.++ (str.to_re "8") (re.union a!119 (str.to_re "")))))
      (a!130 (re.union a!4
                       (re.++ (str.to_re "1") (re.union a!129 (str.to_re ""))))))
(let ((a!23 (re.union a!7
                      (re.++ (str.to_re "8") (re.union a!22 (str.to_re "")))))
      (a!42 (re.union a!18
                      (re.++ (str.to_re "5") (re.union a!41 (str.to_re "")))))
      (a!53 (re.union a!18
                      (re.++ (str.to_re "5") (re.union a!52 (str.to_re "")))))
      (a!68 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!67 (str.to_re "")))))
      (a!78 (re.union a!7
                      (re.++ (str.to_re "8") (re.union a!77 (str.to_re "")))))
      (a!88 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!87 (str.to_re "")))))
      (a!99 (re.union a!35
                      (re.++ (str.to_re "3") (re.union a!98 (str.to_re "")))))
      (a!110 (re.union a!10
                       (re.++ (str.to_re "7") (re.union a!109 (str.to_re "")))))
      (a!121 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!120 (str.to_re "")))))
      (a!131 (re.union a!7
                       (re.++ (str.to_re "8") (re.union a!130 (str.to_re ""))))))
(let ((a!24 (re.union a!16
                      (re.++ (str.to_re "0") (re.union a!23 (str.to_re "")))))
      (a!43 (re.union a!9
                      (re.++ (str.to_re "6") (re.union a!42 (str.to_re "")))))
      (a!54 (re.union a!4
                      (re.++ (str.to_re "1") (re.union a!53 (str.to_re "")))))
      (a!69 (re.union a!4
                      (re.++ (str.to_re "1") (re.union a!68 (str.to_re "")))))
      (a!79 (re.union a!7
                      (re.++ (str.to_re "8") (re.union a!78 (str.to_re "")))))
      (a!89 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!88 (str.to_re "")))))
      (a!100 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!99 (str.to_re "")))))
      (a!111 (re.union a!9
                       (re.++ (str.to_re "6") (re.union a!110 (str.to_re "")))))
      (a!122 (re.union a!4
                       (re.++ (str.to_re "1") (re.union a!121 (str.to_re "")))))
      (a!132 (re.union a!10
                       (re.++ (str.to_re "7") (re.union a!131 (str.to_re ""))))))
(let ((a!25 (re.union a!13
                      (re.++ (str.to_re "2") (re.union a!24 (str.to_re "")))))
      (a!44 (re.union a!37
                      (re.++ (str.to_re "4") (re.union a!43 (str.to_re "")))))
      (a!55 (re.union a!13
                      (re.++ (str.to_re "2") (re.union a!54 (str.to_re "")))))
      (a!70 (re.union a!18
                      (re.++ (str.to_re "5") (re.union a!69 (str.to_re "")))))
      (a!80 (re.union a!16
                      (re.++ (str.to_re "0") (re.union a!79 (str.to_re "")))))
      (a!90 (re.union a!16
                      (re.++ (str.to_re "0") (re.union a!89 (str.to_re "")))))
      (a!101 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!100 (str.to_re "")))))
      (a!112 (re.union a!7
                       (re.++ (str.to_re "8") (re.union a!111 (str.to_re "")))))
      (a!123 (re.union a!18
                       (re.++ (str.to_re "5") (re.union a!122 (str.to_re "")))))
      (a!133 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!132 (str.to_re ""))))))
(let ((a!26 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!25 (str.to_re "")))))
      (a!45 (re.union a!37
                      (re.++ (str.to_re "4") (re.union a!44 (str.to_re "")))))
      (a!56 (re.union a!7
                      (re.++ (str.to_re "8") (re.union a!55 (str.to_re "")))))
      (a!71 (re.union a!18
                      (re.++ (str.to_re "5") (re.union a!70 (str.to_re "")))))
      (a!81 (re.union a!13
                      (re.++ (str.to_re "2") (re.union a!80 (str.to_re "")))))
      (a!91 (re.union a!4
                      (re.++ (str.to_re "1") (re.union a!90 (str.to_re "")))))
      (a!102 (re.union a!18
                       (re.++ (str.to_re "5") (re.union a!101 (str.to_re "")))))
      (a!113 (re.union a!35
                       (re.++ (str.to_re "3") (re.union a!112 (str.to_re "")))))
      (a!124 (re.union a!35
                       (re.++ (str.to_re "3") (re.union a!123 (str.to_re "")))))
      (a!134 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!133 (str.to_re ""))))))
(let ((a!27 (re.union a!4
                      (re.++ (str.to_re "1") (re.union a!26 (str.to_re "")))))
      (a!46 (re.union a!13
                      (re.++ (str.to_re "2") (re.union a!45 (str.to_re "")))))
      (a!57 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!56 (str.to_re "")))))
      (a!72 (re.union a!10
                      (re.++ (str.to_re "7") (re.union a!71 (str.to_re "")))))
      (a!82 (re.union a!37
                      (re.++ (str.to_re "4") (re.union a!81 (str.to_re "")))))
      (a!92 (re.union a!38
                      (re.++ (str.to_re "9") (re.union a!91 (str.to_re "")))))
      (a!103 (re.union a!16
                       (re.++ (str.to_re "0") (re.union a!102 (str.to_re "")))))
      (a!114 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!113 (str.to_re "")))))
      (a!125 (re.union a!4
                       (re.++ (str.to_re "1") (re.union a!124 (str.to_re "")))))
      (a!135 (re.union a!9
                       (re.++ (str.to_re "6") (re.union a!134 (str.to_re ""))))))
(let ((a!28 (re.union a!9
                      (re.++ (str.to_re "6") (re.union a!27 (str.to_re "")))))
      (a!47 (re.union a!9
                      (re.++ (str.to_re "6") (re.union a!46 (str.to_re "")))))
      (a!58 (re.union a!9
                      (re.++ (str.to_re "6") (re.union a!57 (str.to_re "")))))
      (a!73 (re.union a!16
                      (re.++ (str.to_re "0") (re.union a!72 (str.to_re "")))))
      (a!83 (re.union a!37
                      (re.++ (str.to_re "4") (re.union a!82 (str.to_re "")))))
      (a!93 (re.union a!7
                      (re.++ (str.to_re "8") (re.union a!92 (str.to_re "")))))
      (a!104 (re.union a!10
                       (re.++ (str.to_re "7") (re.union a!103 (str.to_re "")))))
      (a!115 (re.union a!10
                       (re.++ (str.to_re "7") (re.union a!114 (str.to_re "")))))
      (a!126 (re.union a!16
                       (re.++ (str.to_re "0") (re.union a!125 (str.to_re "")))))
      (a!136 (re.union a!4
                       (re.++ (str.to_re "1") (re.union a!135 (str.to_re ""))))))
(let ((a!29 (re.union a!7
                      (re.++ (str.to_re "8") (re.union a!28 (str.to_re "")))))
      (a!48 (re.union a!35
                      (re.++ (str.to_re "3") (re.union a!47 (str.to_re "")))))
      (a!59 (re.union a!13
                      (re.++ (str.to_re "2") (re.union a!58 (str.to_re "")))))
      (a!74 (re.union (re.++ (re.union a!64 (str.to_re "9"))
                             (re.* (re.range "0" "9")))
                      (re.++ (str.to_re "0") (re.union a!73 (str.to_re "")))))
      (a!94 (re.union a!9
                      (re.++ (str.to_re "6") (re.union a!93 (str.to_re "")))))
      (a!105 (re.union a!9
                       (re.++ (str.to_re "6") (re.union a!104 (str.to_re "")))))
      (a!116 (re.union a!38
                       (re.++ (str.to_re "9") (re.union a!115 (str.to_re "")))))
      (a!127 (re.union a!13
                       (re.++ (str.to_re "2") (re.union a!126 (str.to_re "")))))
      (a!137 (re.union a!16
                       (re.++ (str.to_re "0") (re.union a!136 (str.to_re ""))))))
(let ((a!30 (re.union a!4
                      (re.++ (str.to_re "1") (re.union a!29 (str.to_re "")))))
      (a!49 (re.union (re.++ (re.union a!33 (str.to_re "9"))
                             (re.* (re.range "0" "9")))
                      (re.++ (str.to_re "3") (re.union a!48 (str.to_re "")))))
      (a!84 (re.union a!74
                      (re.++ (str.to_re "7") (re.union a!83 (str.to_re "")))))
      (a!106 (re.union a!18
                       (re.++ (str.to_re "5") (re.union a!105 (str.to_re "")))))
      (a!117 (re.union a!9
                       (re.++ (str.to_re "6") (re.union a!116 (str.to_re "")))))
      (a!128 (re.union (re.++ (re.union a!34 (str.to_re "8"))
                              (re.* (re.range "0" "9")))
                       (re.++ (str.to_re "3") (re.union a!127 (str.to_re ""))))))
(let ((a!31 (re.union (re.++ a!1 (re.* (re.range "0" "9")))
                      (re.++ (str.to_re "1") (re.union a!30 (str.to_re "")))))
      (a!60 (re.union a!49
                      (re.++ (str.to_re "7") (re.union a!59 (str.to_re "")))))
      (a!85 (re.union (re.++ (re.union a!63 (str.to_re "9"))
                             (re.* (re.range "0" "9")))
                      (re.++ (str.to_re "0") (re.union a!84 (str.to_re "")))))
      (a!138 (re.union a!128
                       (re.++ (str.to_re "9") (re.union a!137 (str.to_re ""))))))
(let ((a!61 (re.union a!31
                      (re.++ (str.to_re "4") (re.union a!60 (str.to_re "")))))
      (a!95 (re.union a!85
                      (re.++ (str.to_re "4") (re.union a!94 (str.to_re ""))))))
(let ((a!96 (re.union a!61
                      (re.++ (str.to_re "5") (re.union a!95 (str.to_re ""))))))
(let ((a!107 (re.union a!96
                       (re.++ (str.to_re "7") (re.union a!106 (str.to_re ""))))))
(let ((a!118 (re.union a!107
                       (re.++ (str.to_re "8") (re.union a!117 (str.to_re ""))))))
(let ((a!139 (re.union a!118
                       (re.++ (str.to_re "9") (re.union a!138 (str.to_re ""))))))
  (or (not public.principal.has_account)
      (str.in_re public.principal.account (re.union a!139 (str.to_re "")))))))))))))))))))))))))
(assert (or (not (and public.principal.has_account public.has_resource_account))
    (distinct public.principal.account public.resource_account)))
(assert (or (and (>= public.action 20986) (<= public.action 20988))
    (and (>= public.action 20999) (<= public.action 21000))
    (= public.action 21002)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "-"))))
(let ((a!2 (re.+ (re.union (re.union a!1 (str.to_re "_")) (str.to_re ".")))))
  (and public.resource.is_arn
       (= |public.resource.arn[1]| "aws")
       (= |public.resource.arn[2]| "iam")
       (= |public.resource.arn[3]| "")
       public.has_resource_account
       (= |public.resource.arn[4]| public.resource_account)
       (str.in_re |public.resource.arn[5]| (re.++ (str.to_re "role/") a!2))))))
(assert (let ((a!1 (or (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "472678215160")
                    (= public.principal.name "deployer-0"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "990169978194")
                    (= public.principal.name "deployer-1"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "500075517353")
                    (= public.principal.name "deployer-2"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "932013519884")
                    (= public.principal.name "deployer-3"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "507442088781")
                    (= public.principal.name "deployer-4"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "118617208525")
                    (= public.principal.name "deployer-5"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "869793867490")
                    (= public.principal.name "deployer-6"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "433624465974")
                    (= public.principal.name "deployer-7"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "756705993431")
                    (= public.principal.name "deployer-8"))
               (and (or (= public.principal.kind ROLE)
                        (= public.principal.kind ROLE_SESSION))
                    public.principal.has_role_arn
                    (= public.principal.account "546891077393")
                    (= public.principal.name "deployer-9"))))
      (a!2 (or (= public.principal.kind ANONYMOUS)
               (= public.principal.kind SERVICE)
               (= public.principal.kind WEB_IDENTITY)
               (= public.principal.kind CANONICAL_USER))))
(let ((a!3 (ite true
                (and (= public.action 20986) a!1 a!1)
                (or (and (= public.action 20986) a!1 a!1)
                    (or (= public.principal.kind ACCOUNT_ROOT) (not a!2)))))
      (a!4 (and (or (or (= public.principal.kind ACCOUNT_ROOT) (not a!2)) a!2)
                (and (= public.action 20986) a!1 a!1))))
(let ((a!5 (ite (or (not public.has_resource_account)
                    (and public.principal.has_account
                         (= public.resource_account public.principal.account)))
                a!3
                a!4)))
  (or (= public.action 20992) a!5)))))
(check-sat)
(exit)
